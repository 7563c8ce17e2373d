using System.CommandLine;
using System.Globalization;
using Sparta.Configuration;
using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta lab learning-rate EXP.yaml [--rates 1e-6,1e-1,1e-3] [--epochs N]</c>: the slides'
/// learning-rate experiment (002, "Configuración de los hiperparámetros"): the same run with a rate
/// too small, too large and about right, each epoch printed as the slides print it. The defaults
/// come from the experiment's rate r: r/1000, r·1000 and r itself (a schedule is replaced by the
/// constant rate). A run stops as the slides say once its loss is not finite or above 3× the first
/// epoch's; the summary marks it diverged, marks a loss that barely moves, and names the rate that
/// learned best (highest validation accuracy, else accuracy, else lowest validation or training loss).
/// </summary>
public sealed class LabLearningRateCommand : SpartaCommand
{
    /// <param name="StartLoss">The first batch's loss: where the run started, before any step could blow it up.</param>
    private sealed record Outcome(double Rate, History History, string? StopReason, double StartLoss)
    {
        /// <summary>What the doctor reads in the run's loss, measured from the first batch so a first epoch that already exploded counts.</summary>
        public IReadOnlyList<Finding> Findings { get; } = Doctor.Diagnose(History, firstBatchLoss: StartLoss);

        public string? Divergence() =>
            Findings.FirstOrDefault(f => f.Problem == "divergence")?.Evidence
            ?? (StopReason?.StartsWith("divergence", StringComparison.Ordinal) == true ? StopReason : null);

        public bool BarelyMoves => Findings.Any(f => f.Problem == "learning rate too small");
    }

    private readonly Argument<string> _file = new("EXP.yaml") { Description = "the experiment file" };
    private readonly ExperimentOptions _experiment;
    private readonly Option<string?> _rates = OptionFactory.OptionalText("--rates", "the rates to compare, separated by commas (default: r/1000, r*1000 and r, r the file's rate)", "R1,R2,...");
    private readonly Option<int> _threads = CommonOptions.Threads(Parallelism.ThreadCount);

    public LabLearningRateCommand() : base("learning-rate", "Train an experiment with a learning rate too small, too large and about right, and compare them (slides 002).",
        "sparta lab learning-rate examples/fashion-mnist-mlp.yaml --epochs 3",
        "sparta lab learning-rate examples/fashion-mnist-mlp.yaml --rates 1e-5,1,1e-2 --set data.train_samples=5000")
    {
        Add(_file);
        _experiment = new ExperimentOptions(this);
        Add(_rates);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        var experiment = _experiment.Load(parse, parse.GetValue(_file)!);
        string? rateList = parse.GetValue(_rates);
        Parallelism.ThreadCount = parse.GetValue(_threads);

        var spec = experiment.Spec();
        double rate = ExperimentRunner.CreateOptimizer(spec.Optimizer).CurrentLearningRate;
        double[] rates = rateList is null ? [rate / 1000, rate * 1000, rate] : ParseRates(rateList);

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
        Summarize(outcomes, output);
        return 0;
    }

    private static double[] ParseRates(string text)
    {
        var rates = text.Split(',', StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) && r > 0 && double.IsFinite(r) ? r
                : throw new UsageException($"option --rates: expected positive numbers separated by commas, got '{text}'")).ToArray();
        return rates.Length > 0 ? rates : throw new UsageException($"option --rates: no rate in '{text}'");
    }

    private static void Summarize(List<Outcome> outcomes, TextWriter output)
    {
        string[] shown = ["loss", "accuracy", "val_loss", "val_accuracy"];
        var columns = shown.Where(k => outcomes.Any(o => o.History.Contains(k))).ToArray();
        output.WriteLine();
        output.WriteLine($"{"rate",-10} {"epochs",6} " + string.Join(" ", columns.Select(c => $"{c,12}")) + "  verdict");
        var best = outcomes.Where(o => o.Divergence() is null).OrderByDescending(Score).FirstOrDefault();
        foreach (var outcome in outcomes)
        {
            string verdict = outcome.Divergence() is { } divergence ? $"diverged: too large ({divergence})"
                : outcome.BarelyMoves ? "the loss barely moves: too small"
                : "learns";
            if (outcome == best) verdict += "; learned best";
            output.WriteLine(Invariant($"{Rate(outcome.Rate),-10} {outcome.History.Epochs.Count,6} ")
                + string.Join(" ", columns.Select(c => Invariant($"{(outcome.History.Contains(c) ? outcome.History[c][^1] : double.NaN),12:G4}"))) + "  " + verdict);
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
    private static string Rate(double rate) => rate.ToString("G3", CultureInfo.InvariantCulture).ToLowerInvariant();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
