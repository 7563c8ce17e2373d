namespace Sparta.Tuning.Reports;

/// <summary>A complete trial of a study of several objectives: its values, and whether it is on the Pareto front.</summary>
public sealed record ParetoPoint(int Number, IReadOnlyList<double> Values, bool OnFront);

/// <summary>
/// The points of a Pareto-front plot: the complete trials with a finite value for every objective,
/// each marked on the front as <see cref="Study.BestTrials"/> has it (no other trial is at least as
/// good on every objective and better on one; infeasible trials are off it while a feasible one exists).
/// </summary>
public static class ParetoFront
{
    public static IReadOnlyList<ParetoPoint> Of(IEnumerable<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Values is { } v && v.Count == directions.Count && v.All(double.IsFinite))
            .OrderBy(t => t.Number).ToArray();
        var front = MultiObjective.ParetoFront(complete, directions).Select(t => t.Number).ToHashSet();
        return complete.Select(t => new ParetoPoint(t.Number, t.Values!, front.Contains(t.Number))).ToArray();
    }
}
