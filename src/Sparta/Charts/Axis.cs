namespace Sparta.Charts;

/// <summary>
/// Maps data values to a fraction of the axis length (0 at <see cref="Min"/>, 1 at <see cref="Max"/>)
/// and names the ticks to draw. Charts write <see cref="Scale"/>, <see cref="Min"/> and <see cref="Max"/>
/// into the SVG so a reader can map pixels back to data without this code.
/// </summary>
public abstract class Axis
{
    protected Axis(string label) => Label = label;

    public string Label { get; }

    /// <summary><c>linear</c>, <c>log</c> or <c>category</c>, as written in <c>data-*-scale</c>.</summary>
    public abstract string Scale { get; }

    public abstract double Min { get; }

    public abstract double Max { get; }

    public abstract IReadOnlyList<Tick> Ticks { get; }

    public abstract double Fraction(double value);

    /// <summary>
    /// An axis fitted to the finite values given (nice bounds), or spanning <paramref name="range"/> when set.
    /// <paramref name="what"/> names the axis in errors, e.g. "chart 'loss': y axis".
    /// </summary>
    public static Axis Fit(AxisScale scale, IEnumerable<double> values, string label, (double Min, double Max)? range, string what)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return scale switch
        {
            AxisScale.Linear => range is var (lo, hi) ? new LinearAxis(label, lo, hi) : LinearAxis.Fit(finite, label),
            AxisScale.Log => range is var (lo, hi) ? new LogAxis(label, lo, hi) : LogAxis.Fit(finite, label, what),
            _ => throw new ArgumentOutOfRangeException(nameof(scale), $"{what}: unknown scale {scale}"),
        };
    }
}
