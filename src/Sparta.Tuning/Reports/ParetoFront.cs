namespace Sparta.Tuning.Reports;

/// <summary>A complete trial of a study of several objectives: its values, and whether no other trial dominates it.</summary>
public sealed record ParetoPoint(int Number, IReadOnlyList<double> Values, bool OnFront);

/// <summary>
/// Optuna's Pareto front: the complete trials with a finite value for every objective, each marked
/// on the front when no other trial is at least as good on every objective and better on one
/// (each objective minimized or maximized as the study's directions say).
/// </summary>
public static class ParetoFront
{
    public static IReadOnlyList<ParetoPoint> Of(IEnumerable<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Values is { } v && v.Count == directions.Count && v.All(double.IsFinite))
            .OrderBy(t => t.Number).ToArray();
        return complete.Select(t => new ParetoPoint(t.Number, t.Values!, !complete.Any(o => Dominates(o.Values!, t.Values!, directions)))).ToArray();
    }

    /// <summary>Whether <paramref name="a"/> is at least as good as <paramref name="b"/> on every objective and better on one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b, IReadOnlyList<StudyDirection> directions)
    {
        bool better = false;
        for (int i = 0; i < directions.Count; i++)
        {
            if (directions[i].IsBetter(b[i], a[i])) return false;
            better |= directions[i].IsBetter(a[i], b[i]);
        }
        return better;
    }
}
