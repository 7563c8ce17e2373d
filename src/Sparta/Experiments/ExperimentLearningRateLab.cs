using System.Globalization;
using Sparta.Configuration;
using Sparta.Diagnostics;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>
/// The slides' learning-rate experiment (002, "Configuración de los hiperparámetros"): the same run with a
/// rate too small, too large and about right, each epoch printed as the slides print it, then a verdict per
/// rate. A run stops as the slides say once its loss is not finite or above 3× where it started. The
/// verdict: diverged (too large); too small when the loss barely moves (the doctor's rule) or when a larger
/// rate that did not diverge brought the loss down more than twice as far; otherwise it learns, and the
/// rate that learned best is named (highest validation accuracy, else accuracy, else lowest validation or
/// training loss).
/// </summary>
public static class ExperimentLearningRateLab
{
    /// <summary>The default rates, as multiples of the experiment's rate r, in the order they run: too small, too large, about right.</summary>
    public static IReadOnlyList<double> DefaultFactors { get; } = [1e-3, 1e3, 1];

    /// <summary>The default rates in words, as <c>help</c> shows them: "r/1000, r*1000 and r".</summary>
    public static string DefaultsText => string.Join(", ", DefaultFactors.Take(DefaultFactors.Count - 1).Select(Multiple)) + " and " + Multiple(DefaultFactors[^1]);

    /// <summary>Below this fraction of the best rate's fall in loss, a smaller rate is called too small.</summary>
    public const double TooSlow = 0.5;

    /// <param name="StartLoss">The first batch's loss: where the run started, before any step could blow it up.</param>
    public sealed record Outcome(double Rate, History History, string? StopReason, double StartLoss)
    {
        /// <summary>What the doctor reads in the run's loss, measured from the first batch so a first epoch that already exploded counts.</summary>
        public IReadOnlyList<Finding> Findings { get; } = Doctor.Diagnose(History, firstBatchLoss: StartLoss);

        public string? Divergence() =>
            Findings.FirstOrDefault(f => f.Problem == "divergence")?.Evidence
            ?? (StopReason?.StartsWith("divergence", StringComparison.Ordinal) == true ? StopReason : null);

        public bool BarelyMoves => Findings.Any(f => f.Problem == "learning rate too small");

        /// <summary>How far the training loss fell, as a fraction of where it started.</summary>
        public double Fall => (StartLoss - History["loss"][^1]) / Math.Abs(StartLoss);
    }

    /// <summary>The rates run when none is given: <see cref="DefaultFactors"/> times the experiment's rate.</summary>
    public static double[] DefaultRates(ExperimentSpec spec)
    {
        double rate = ExperimentRunner.CreateMiniBatchOptimizer(spec.Optimizer, "the learning-rate lab").CurrentLearningRate;
        return DefaultFactors.Select(f => rate * f).ToArray();
    }

    /// <summary>Trains <paramref name="experiment"/> at each rate (a schedule replaced by the constant rate), printing every epoch to <paramref name="output"/>.</summary>
    public static IReadOnlyList<Outcome> Run(Experiment experiment, IReadOnlyList<double> rates, TextWriter output)
    {
        var spec = experiment.Spec();
        var outcomes = new List<Outcome>();
        foreach (double r in rates)
        {
            output.WriteLine($"== learning rate {Rate(r)} ==");
            var optimizer = new ComponentConfig(spec.Optimizer.Name,
                spec.Optimizer.Parameters.Where(p => p.Key != "learning_rate").Append(new("learning_rate", r)));
            var run = experiment.With("optimizer", optimizer.ToJson()).With("diagnostics", "false");
            var result = new ExperimentRunner(run.Spec(), run.Directory).Run(output, [new DivergenceGuard()], verbose: true);
            outcomes.Add(new Outcome(r, result.Trainer.History, result.Trainer.StopReason, result.BatchLosses[0].Loss));
        }
        return outcomes;
    }

    /// <summary>Each outcome's verdict, in order: "diverged: too large (...)", "too small (...)" or "learns", the best marked "; learned best".</summary>
    public static IReadOnlyList<string> Verdicts(IReadOnlyList<Outcome> outcomes)
    {
        var sound = outcomes.Where(o => o.Divergence() is null).ToList();
        var best = sound.OrderByDescending(Score).FirstOrDefault();
        return outcomes.Select(outcome =>
        {
            var faster = sound.Where(o => o.Rate > outcome.Rate).OrderByDescending(o => o.Fall).FirstOrDefault();
            string verdict = outcome.Divergence() is { } divergence ? $"diverged: too large ({divergence})"
                : outcome.BarelyMoves ? "the loss barely moves: too small"
                : faster is not null && outcome.Fall < TooSlow * faster.Fall
                    ? Invariant($"too small (the loss fell {100 * outcome.Fall:F1}%, at {Rate(faster.Rate)} {100 * faster.Fall:F1}%)")
                : "learns";
            return outcome == best ? verdict + "; learned best" : verdict;
        }).ToList();
    }

    /// <summary>The summary table: each rate's epochs, last loss and accuracy (training and validation) and verdict.</summary>
    public static void Summarize(IReadOnlyList<Outcome> outcomes, TextWriter output)
    {
        string[] shown = ["loss", "accuracy", "val_loss", "val_accuracy"];
        var columns = shown.Where(k => outcomes.Any(o => o.History.Contains(k))).ToArray();
        var verdicts = Verdicts(outcomes);
        output.WriteLine();
        output.WriteLine($"{"rate",-10} {"epochs",6} " + string.Join(" ", columns.Select(c => $"{c,12}")) + "  verdict");
        for (int i = 0; i < outcomes.Count; i++)
        {
            var outcome = outcomes[i];
            output.WriteLine(Invariant($"{Rate(outcome.Rate),-10} {outcome.History.Epochs.Count,6} ")
                + string.Join(" ", columns.Select(c => Invariant($"{(outcome.History.Contains(c) ? outcome.History[c][^1] : double.NaN),12:G4}"))) + "  " + verdicts[i]);
        }
    }

    /// <summary>Higher is better: validation accuracy, else training accuracy, else minus the validation or training loss.</summary>
    private static double Score(Outcome o)
    {
        foreach (string key in new[] { "val_accuracy", "accuracy" })
            if (o.History.Contains(key)) return o.History[key][^1];
        return -o.History[o.History.Contains("val_loss") ? "val_loss" : "loss"][^1];
    }

    /// <summary>"1e-05" rather than .NET's "1E-05".</summary>
    public static string Rate(double rate) => rate.ToString("G3", CultureInfo.InvariantCulture).ToLowerInvariant();

    private static string Multiple(double factor) => factor == 1 ? "r" : factor < 1 ? Invariant($"r/{1 / factor:G6}") : Invariant($"r*{factor:G6}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
