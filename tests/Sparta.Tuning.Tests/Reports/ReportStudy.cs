using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Tests.Reports;

/// <summary>A study whose every trial is recorded as the objective saw it, independently of the storage.</summary>
public static class ReportStudy
{
    /// <summary>The trials table of a report page, row by row: each trial's number and state as its row states them.</summary>
    public static List<(int Number, string State)> TrialRows(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<tr class=\"trial state-(\\w+)\" data-trial=\"(\\d+)\">")
            .Select(m => (int.Parse(m.Groups[2].Value), m.Groups[1].Value)).ToList();

    /// <summary>What one call of the objective saw and did.</summary>
    public sealed record Seen(int Number, double Lr, long Units, string Activation, double? Momentum, List<double> Reports, string Outcome, double Value);

    /// <summary>
    /// A study of 24 trials on log-uniform lr, int units, a categorical activation and a momentum
    /// only for tanh (conditional); every fifth trial is pruned after two reports, trial 7 fails.
    /// </summary>
    public static (Study Study, List<Seen> Seen) Build(IStudyStorage? storage = null, StudyDirection direction = StudyDirection.Minimize)
    {
        var study = Study.Create("report", direction, storage, new RandomSampler(11), seed: 3);
        var seen = new List<Seen>();
        study.Optimize(trial =>
        {
            double lr = trial.SuggestFloat("lr", 1e-4, 1, log: true);
            long units = trial.SuggestInt("units", 16, 256, step: 16);
            string activation = trial.SuggestCategorical("activation", new[] { "relu", "tanh" });
            double? momentum = activation == "tanh" ? trial.SuggestFloat("momentum", 0.5, 0.99) : null;
            double value = Math.Pow(Math.Log10(lr) + 2, 2) + units / 1000.0 + (momentum ?? 0);
            var reports = new List<double>();
            for (int step = 0; step < 3; step++)
            {
                double reported = value + 1.0 / (step + 1);
                trial.Report(reported, step);
                reports.Add(reported);
                if (trial.Number % 5 == 4 && step == 1)
                {
                    seen.Add(new Seen(trial.Number, lr, units, activation, momentum, reports, "pruned", reported));
                    throw new TrialPruned();
                }
            }
            if (trial.Number == 7)
            {
                seen.Add(new Seen(trial.Number, lr, units, activation, momentum, reports, "failed", double.NaN));
                throw new InvalidOperationException("diverged");
            }
            seen.Add(new Seen(trial.Number, lr, units, activation, momentum, reports, "complete", value));
            return value;
        }, 24, catchExceptions: [typeof(InvalidOperationException)]);
        return (study, seen);
    }
}
