using Sparta.Diagnostics;
using Sparta.Experiments;
using Sparta.Metrics;

namespace Sparta.Tuning.Experiments;

/// <summary>
/// The measures of a trained run an experiment file may name as objectives or constraints
/// (<c>search.objectives</c>, <c>search.constraints</c>): the last epoch's logged values
/// (<c>val_accuracy</c>, <c>val_loss</c>, <c>loss</c>, ...), <c>parameters</c> (the model's
/// parameter count), <c>train_s</c> (seconds of training) and <c>latency_ms</c> (one example's
/// inference, the median of timed batches of 1). Timings depend on the machine and its load; the
/// other measures repeat with the seed.
/// </summary>
public static class RunMeasures
{
    public const string Parameters = "parameters";
    public const string TrainSeconds = "train_s";
    public const string LatencyMs = "latency_ms";

    /// <summary>How long the latency is timed, per trial.</summary>
    private const double LatencyBudgetSeconds = 0.2;

    /// <summary>The names a file may use with these metrics: the logged values first, then the run's own measures.</summary>
    public static IReadOnlyList<string> Known(IReadOnlyList<Metric?> metrics)
    {
        var logged = new List<string> { "val_loss", "loss" };
        foreach (var m in metrics.OfType<Metric>()) logged.AddRange(["val_" + m.Name, m.Name]);
        return [.. logged, Parameters, TrainSeconds, LatencyMs];
    }

    /// <summary>
    /// Whether a measure is better higher: a metric that says so (accuracy) and its validation value;
    /// losses, counts and times are better lower.
    /// </summary>
    public static bool HigherIsBetter(string name, IReadOnlyList<Metric?> metrics) =>
        metrics.OfType<Metric>().Any(m => m.HigherIsBetter && (name == m.Name || name == "val_" + m.Name));

    /// <summary>Whether a measure counts something, so its values are whole numbers (the parameter count).</summary>
    public static bool IsCount(string name) => name == Parameters;

    /// <summary>The named measure of a finished run; <paramref name="logs"/> are its last epoch's values.</summary>
    public static double Of(string name, RunResult run, IReadOnlyDictionary<string, double> logs) => name switch
    {
        Parameters => run.Trainer.Model.TrainableParameterCount + run.Trainer.Model.NonTrainableParameterCount,
        TrainSeconds => run.TrainSeconds,
        LatencyMs => 1000 * InferenceTiming.SecondsPerBatch(run.Trainer.Model, 1, LatencyBudgetSeconds),
        _ => logs.TryGetValue(name, out double v) ? v
            : throw new InvalidOperationException($"the run logged no '{name}' (it logged {string.Join(", ", logs.Keys)})"),
    };
}
