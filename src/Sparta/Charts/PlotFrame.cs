namespace Sparta.Charts;

/// <summary>The plot area's two axes and size: data to pixels, origin at the area's top left, y growing down.</summary>
public sealed record PlotFrame(Axis X, Axis Y, double Width, double Height)
{
    public double Px(double x) => X.Fraction(x) * Width;

    public double Py(double y) => (1 - Y.Fraction(y)) * Height;

    /// <summary>
    /// Opens the nested &lt;svg class="plot-area"&gt; at (left, top) that holds the marks, stating both axes
    /// so a reader can map a mark back to data. It clips only when asked (a fixed range data may leave).
    /// </summary>
    public void Open(SvgWriter svg, double left, double top, bool clip) => svg.Open("svg",
        ("class", "plot-area"), ("x", SvgWriter.Px(left)), ("y", SvgWriter.Px(top)), ("width", SvgWriter.Px(Width)), ("height", SvgWriter.Px(Height)),
        ("overflow", clip ? "hidden" : "visible"),
        ("data-x-scale", X.Scale), ("data-x-min", SvgWriter.Data(X.Min)), ("data-x-max", SvgWriter.Data(X.Max)),
        ("data-x-categories", X is CategoricalAxis categorical ? System.Text.Json.JsonSerializer.Serialize(categorical.Categories) : null),
        ("data-y-scale", Y.Scale), ("data-y-min", SvgWriter.Data(Y.Min)), ("data-y-max", SvgWriter.Data(Y.Max)));
}
