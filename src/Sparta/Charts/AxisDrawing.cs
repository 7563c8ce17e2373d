namespace Sparta.Charts;

/// <summary>Axis lines, ticks with their labels, grid lines and axis titles, in the enclosing figure's coordinates.</summary>
internal static class AxisDrawing
{
    private const string GridColor = "#e4e4e4";

    /// <summary>The x axis under a plot area at (left, top), with vertical grid lines.</summary>
    public static void Bottom(SvgWriter svg, PlotFrame frame, double left, double top)
    {
        double baseline = top + frame.Height;
        svg.Empty("line", ("class", "axis x-axis"), ("x1", SvgWriter.Px(left)), ("y1", SvgWriter.Px(baseline)), ("x2", SvgWriter.Px(left + frame.Width)), ("y2", SvgWriter.Px(baseline)), ("stroke", "black"));
        foreach (var tick in frame.X.Ticks)
        {
            string x = SvgWriter.Px(left + frame.Px(tick.Value));
            svg.Open("g", ("class", "tick x-tick"), ("data-value", SvgWriter.Data(tick.Value)));
            svg.Empty("line", ("x1", x), ("y1", SvgWriter.Px(top)), ("x2", x), ("y2", SvgWriter.Px(baseline)), ("stroke", GridColor));
            svg.Empty("line", ("x1", x), ("y1", SvgWriter.Px(baseline)), ("x2", x), ("y2", SvgWriter.Px(baseline + 4)), ("stroke", "black"));
            svg.Element("text", tick.Label, ("x", x), ("y", SvgWriter.Px(baseline + 16)), ("text-anchor", "middle"));
            svg.Close("g");
        }
        svg.Element("text", frame.X.Label, ("class", "axis-label"), ("x", SvgWriter.Px(left + frame.Width / 2)), ("y", SvgWriter.Px(baseline + 34)), ("text-anchor", "middle"));
    }

    /// <summary>The y axis left of a plot area at (left, top), with horizontal grid lines.</summary>
    public static void Left(SvgWriter svg, PlotFrame frame, double left, double top)
    {
        svg.Empty("line", ("class", "axis y-axis"), ("x1", SvgWriter.Px(left)), ("y1", SvgWriter.Px(top)), ("x2", SvgWriter.Px(left)), ("y2", SvgWriter.Px(top + frame.Height)), ("stroke", "black"));
        foreach (var tick in frame.Y.Ticks)
        {
            string y = SvgWriter.Px(top + frame.Py(tick.Value));
            svg.Open("g", ("class", "tick y-tick"), ("data-value", SvgWriter.Data(tick.Value)));
            svg.Empty("line", ("x1", SvgWriter.Px(left)), ("y1", y), ("x2", SvgWriter.Px(left + frame.Width)), ("y2", y), ("stroke", GridColor));
            svg.Empty("line", ("x1", SvgWriter.Px(left - 4)), ("y1", y), ("x2", SvgWriter.Px(left)), ("y2", y), ("stroke", "black"));
            svg.Element("text", tick.Label, ("x", SvgWriter.Px(left - 6)), ("y", y), ("text-anchor", "end"), ("dominant-baseline", "middle"));
            svg.Close("g");
        }
        double middle = top + frame.Height / 2;
        svg.Element("text", frame.Y.Label, ("class", "axis-label"), ("x", "14"), ("y", SvgWriter.Px(middle)), ("text-anchor", "middle"),
            ("transform", $"rotate(-90 14 {SvgWriter.Px(middle)})"));
    }

    /// <summary>A vertical axis at x from top to top + height (parallel coordinates), its name above.</summary>
    public static void Vertical(SvgWriter svg, Axis axis, double x, double top, double height)
    {
        string px = SvgWriter.Px(x);
        svg.Empty("line", ("x1", px), ("y1", SvgWriter.Px(top)), ("x2", px), ("y2", SvgWriter.Px(top + height)), ("stroke", "black"));
        foreach (var tick in axis.Ticks)
        {
            string y = SvgWriter.Px(top + (1 - axis.Fraction(tick.Value)) * height);
            svg.Open("g", ("class", "tick"), ("data-value", SvgWriter.Data(tick.Value)));
            svg.Empty("line", ("x1", SvgWriter.Px(x - 3)), ("y1", y), ("x2", SvgWriter.Px(x + 3)), ("y2", y), ("stroke", "black"));
            svg.Element("text", tick.Label, ("x", SvgWriter.Px(x + 5)), ("y", y), ("dominant-baseline", "middle"), ("font-size", "10"));
            svg.Close("g");
        }
        svg.Element("text", axis.Label, ("class", "axis-label"), ("x", px), ("y", SvgWriter.Px(top - 10)), ("text-anchor", "middle"));
    }
}
