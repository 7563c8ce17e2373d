namespace Sparta.Tuning.Reports;

/// <summary>A complete trial's value and the best value of the study up to and including it.</summary>
public sealed record HistoryPoint(int Number, double Value, double BestSoFar);

/// <summary>
/// Optuna's optimization history: the value of each complete trial in trial order, and the best
/// value so far (a running minimum, or maximum for a maximized study).
/// </summary>
public static class OptimizationHistory
{
    public static IReadOnlyList<HistoryPoint> Of(IEnumerable<FrozenTrial> trials, StudyDirection direction)
    {
        var points = new List<HistoryPoint>();
        double? best = null;
        foreach (var trial in Complete(trials))
        {
            double value = trial.Value!.Value;
            if (best is not double b || direction.IsBetter(value, b)) best = value;
            points.Add(new HistoryPoint(trial.Number, value, best.Value));
        }
        return points;
    }

    /// <summary>The complete trials with a finite value, in trial order: those every value chart shows.</summary>
    internal static IEnumerable<FrozenTrial> Complete(IEnumerable<FrozenTrial> trials) =>
        trials.Where(t => t.State == TrialState.Complete && t.Value is double v && double.IsFinite(v)).OrderBy(t => t.Number);
}
