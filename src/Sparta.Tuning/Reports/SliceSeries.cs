namespace Sparta.Tuning.Reports;

/// <summary>One complete trial in a slice plot: its value against one parameter's coordinate.</summary>
public sealed record SlicePoint(int Number, double X, double Value);

/// <summary>Optuna's slice plot of one parameter: each complete trial that has it, at (parameter, value).</summary>
public sealed record SliceSeries(ParameterAxis Axis, IReadOnlyList<SlicePoint> Points)
{
    public static IReadOnlyList<SliceSeries> Of(IEnumerable<FrozenTrial> trials)
    {
        var complete = OptimizationHistory.Complete(trials).ToList();
        return ParameterAxis.Of(complete)
            .Select(axis => new SliceSeries(axis, complete.Where(t => t.InternalParams.ContainsKey(axis.Name))
                .Select(t => new SlicePoint(t.Number, axis.Position(t), t.Value!.Value)).ToList()))
            .ToList();
    }
}
