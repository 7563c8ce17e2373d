namespace Sparta.Tuning.Reports;

/// <summary>
/// The values one trial reported step by step (its learning curve, for a training objective), in
/// step order, with the trial's state so pruned trials stand out where they stopped.
/// </summary>
public sealed record IntermediateSeries(int Number, TrialState State, IReadOnlyList<(int Step, double Value)> Points)
{
    /// <summary>Every trial that reported a value, in trial order.</summary>
    public static IReadOnlyList<IntermediateSeries> Of(IEnumerable<FrozenTrial> trials) =>
        trials.Where(t => t.IntermediateValues.Count > 0).OrderBy(t => t.Number)
            .Select(t => new IntermediateSeries(t.Number, t.State, t.IntermediateValues.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList()))
            .ToList();
}
