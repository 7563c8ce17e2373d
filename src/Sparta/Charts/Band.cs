namespace Sparta.Charts;

/// <summary>
/// A shaded horizontal band across the plot between two y values, e.g. the healthy range of the
/// weight-update ratio (1e-3 to 1e-2). Drawn behind the data as &lt;rect class="band"&gt;.
/// </summary>
public sealed record Band(double Low, double High, string Label)
{
    public void Draw(SvgWriter svg, PlotFrame frame)
    {
        double top = frame.Py(High), bottom = frame.Py(Low);
        svg.Empty("rect", ("class", "band"), ("data-y0", SvgWriter.Data(Low)), ("data-y1", SvgWriter.Data(High)),
            ("x", "0"), ("y", SvgWriter.Px(top)), ("width", SvgWriter.Px(frame.Width)), ("height", SvgWriter.Px(bottom - top)), ("fill", "#2ca02c"), ("fill-opacity", "0.12"));
        svg.Element("text", Label, ("class", "band-label"), ("x", "4"), ("y", SvgWriter.Px(top + 12)), ("text-anchor", "start"), ("fill", "#2a7a2a"));
    }
}
