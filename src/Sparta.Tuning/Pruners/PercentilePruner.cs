using Sparta.Configuration;

namespace Sparta.Tuning.Pruners;

/// <summary>
/// Prunes a trial whose best value so far is worse than the given percentile of the complete
/// trials' values at the same step (Optuna's PercentilePruner, same rules): no pruning before
/// <c>startupTrials</c> trials are complete, before <c>warmupSteps</c>, off the
/// <c>intervalSteps</c> grid, or with fewer than <c>minTrials</c> values at the step.
/// </summary>
public class PercentilePruner : IPruner
{
    public PercentilePruner(double percentile, int startupTrials = 5, int warmupSteps = 0, int intervalSteps = 1, int minTrials = 1)
    {
        if (!(percentile >= 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), $"percentile must be in [0, 100], got {percentile}");
        if (startupTrials < 0) throw new ArgumentOutOfRangeException(nameof(startupTrials), $"startup trials must be non-negative, got {startupTrials}");
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"warmup steps must be non-negative, got {warmupSteps}");
        if (intervalSteps < 1) throw new ArgumentOutOfRangeException(nameof(intervalSteps), $"interval steps must be at least 1, got {intervalSteps}");
        if (minTrials < 1) throw new ArgumentOutOfRangeException(nameof(minTrials), $"min trials must be at least 1, got {minTrials}");
        Percentile = percentile;
        StartupTrials = startupTrials;
        WarmupSteps = warmupSteps;
        IntervalSteps = intervalSteps;
        MinTrials = minTrials;
    }

    public const string RegisteredName = "percentile";

    /// <summary>
    /// <c>{name: percentile, percentile: 25, startup_trials: 5, warmup_steps: 0, interval_steps: 1, min_trials: 1}</c>;
    /// the median pruner is this with the percentile fixed at 50.
    /// </summary>
    internal static IPruner FromConfig(ConfigReader r, double? percentile)
    {
        double p = percentile ?? (r.Has("percentile")
            ? r.Double("percentile", 0)
            : throw new ConfigKeyException($"{r.Owner}: percentile is missing", "percentile", "missing; e.g. {name: percentile, percentile: 25}"));
        if (!(p >= 0 && p <= 100)) throw new ConfigKeyException($"{r.Owner}: percentile must be in [0, 100], got {p}", "percentile", $"must be in [0, 100], got {p.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        int startupTrials = Check.AtLeast(r.Int("startup_trials", 5), 0, "startup_trials", r.Owner);
        int warmupSteps = Check.AtLeast(r.Int("warmup_steps", 0), 0, "warmup_steps", r.Owner);
        int intervalSteps = Check.AtLeast(r.Int("interval_steps", 1), 1, "interval_steps", r.Owner);
        int minTrials = Check.AtLeast(r.Int("min_trials", 1), 1, "min_trials", r.Owner);
        return percentile == 50 ? new MedianPruner(startupTrials, warmupSteps, intervalSteps, minTrials)
            : new PercentilePruner(p, startupTrials, warmupSteps, intervalSteps, minTrials);
    }

    public double Percentile { get; }
    public int StartupTrials { get; }
    public int WarmupSteps { get; }
    public int IntervalSteps { get; }
    public int MinTrials { get; }

    public bool Prune(Study study, FrozenTrial trial)
    {
        var completed = study.GetTrials(TrialState.Complete);
        if (completed.Count == 0 || completed.Count < StartupTrials) return false;
        if (trial.LastStep is not int step || step < WarmupSteps) return false;
        if (!IsFirstInInterval(step, trial.IntermediateValues.Keys)) return false;

        bool maximize = study.Direction == StudyDirection.Maximize;
        var own = trial.IntermediateValues.Values.Where(v => !double.IsNaN(v)).ToList();
        if (own.Count == 0) return true;
        double best = maximize ? own.Max() : own.Min();

        var atStep = completed.Where(t => t.IntermediateValues.ContainsKey(step)).Select(t => t.IntermediateValues[step]).ToList();
        if (atStep.Count < MinTrials) return false;
        double threshold = NanPercentile(atStep, maximize ? 100 - Percentile : Percentile);
        if (double.IsNaN(threshold)) return false;
        return maximize ? best < threshold : best > threshold;
    }

    /// <summary>Checks only at the first report at or after each point of the warm-up-offset interval grid.</summary>
    private bool IsFirstInInterval(int step, IEnumerable<int> steps)
    {
        int nearestLowerPruningStep = (step - WarmupSteps) / IntervalSteps * IntervalSteps + WarmupSteps;
        int secondLast = steps.Where(s => s != step).DefaultIfEmpty(-1).Max();
        return secondLast < nearestLowerPruningStep;
    }

    /// <summary>numpy's nanpercentile with linear interpolation between closest ranks.</summary>
    internal static double NanPercentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        double rank = percentile / 100 * (sorted.Length - 1);
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
    }
}

/// <summary>Prunes a trial whose best value so far is worse than the median of complete trials at the same step.</summary>
public sealed class MedianPruner(int startupTrials = 5, int warmupSteps = 0, int intervalSteps = 1, int minTrials = 1)
    : PercentilePruner(50, startupTrials, warmupSteps, intervalSteps, minTrials)
{
    public new const string RegisteredName = "median";
}
