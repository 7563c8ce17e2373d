namespace Sparta.Tuning.Reports;

/// <summary>One complete trial in the parallel-coordinates chart: its value and its coordinate on each parameter axis.</summary>
public sealed record ParallelLine(int Number, double Value, IReadOnlyList<double> Positions);

/// <summary>
/// The parallel-coordinates chart: one axis per parameter that every complete trial has (as
/// parameter importance rates them; conditional parameters drop out), one line per complete trial.
/// </summary>
public sealed record ParallelCoordinatesData(IReadOnlyList<ParameterAxis> Axes, IReadOnlyList<ParallelLine> Lines)
{
    public static ParallelCoordinatesData Of(IEnumerable<FrozenTrial> trials)
    {
        var complete = OptimizationHistory.Complete(trials).ToList();
        var shared = SearchSpace.Intersection(complete);
        var axes = ParameterAxis.Of(complete).Where(a => shared.ContainsKey(a.Name)).ToList();
        var lines = complete.Select(t => new ParallelLine(t.Number, t.Value!.Value, axes.Select(a => a.Position(t)).ToList())).ToList();
        return new ParallelCoordinatesData(axes, lines);
    }
}
