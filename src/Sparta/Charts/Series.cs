namespace Sparta.Charts;

/// <summary>
/// Data drawn on an <see cref="XYChart"/>. A series offers its finite values so the chart can fit
/// its axes, and draws its marks in a <see cref="PlotFrame"/>; values that are NaN or infinite are not drawn.
/// </summary>
public abstract class Series
{
    protected Series(string name) => Name = name;

    public string Name { get; }

    /// <summary>The finite x values the axis must show.</summary>
    public abstract IEnumerable<double> XValues { get; }

    /// <summary>The finite y values the axis must show.</summary>
    public abstract IEnumerable<double> YValues { get; }

    public abstract void Draw(SvgWriter svg, PlotFrame frame, string color);

    public virtual IEnumerable<LegendEntry> Legend(string color) => [new LegendEntry(Name, color, Dot: false)];

    protected static bool IsFinite((double X, double Y) point) => double.IsFinite(point.X) && double.IsFinite(point.Y);
}
