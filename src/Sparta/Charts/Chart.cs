namespace Sparta.Charts;

/// <summary>
/// A self-contained SVG figure (no script, no external resource). Every drawn data mark has the
/// class <c>mark</c> plus its kind (<c>line</c>, <c>point</c>, <c>bin</c>, <c>bar</c>, <c>trial</c>) and
/// carries its data in <c>data-*</c> attributes; each plot area states its axes
/// (<c>data-x-scale</c>, <c>data-x-min</c>, ...), so tests and readers can check that positions match the data.
/// </summary>
public abstract class Chart
{
    protected const double TitleBaseline = 20;

    protected Chart(string title) => Title = title;

    public string Title { get; }

    public virtual double Width { get; init; } = 640;

    public virtual double Height { get; init; } = 400;

    /// <summary>A line under the title saying what the figure leaves out (e.g. which trials of a large study it draws); null for none.</summary>
    public string? Note { get; set; }

    /// <summary>Draws the figure within (0, 0, Width, Height).</summary>
    protected abstract void Draw(SvgWriter svg);

    public string ToSvg() => ToSvg(tooltips: true);

    /// <param name="tooltips">Whether each mark carries a &lt;title&gt; tooltip (<see cref="SvgWriter.Tooltips"/>).</param>
    public string ToSvg(bool tooltips)
    {
        var svg = new SvgWriter { Tooltips = tooltips };
        svg.Open("svg", ("xmlns", "http://www.w3.org/2000/svg"), ("class", "chart"), ("width", SvgWriter.Px(Width)), ("height", SvgWriter.Px(Height)),
            ("viewBox", $"0 0 {SvgWriter.Px(Width)} {SvgWriter.Px(Height)}"), ("font-family", "sans-serif"), ("font-size", "11"), ("data-title", Title));
        DrawWithBackground(svg);
        svg.Close("svg");
        return svg.ToString();
    }

    /// <summary>Writes the SVG file atomically: a viewer reloading it sees the old figure or the new one.</summary>
    public void Save(string path) => Serialization.AtomicText.Write(path, ToSvg());

    /// <summary>This chart placed at (x, y) inside a larger figure (<see cref="ChartGrid"/>).</summary>
    internal void DrawNested(SvgWriter svg, double x, double y)
    {
        svg.Open("svg", ("class", "chart"), ("x", SvgWriter.Px(x)), ("y", SvgWriter.Px(y)), ("width", SvgWriter.Px(Width)), ("height", SvgWriter.Px(Height)), ("data-title", Title));
        DrawWithBackground(svg);
        svg.Close("svg");
    }

    protected void DrawTitle(SvgWriter svg)
    {
        svg.Element("text", Title, ("class", "title"), ("x", SvgWriter.Px(Width / 2)), ("y", SvgWriter.Px(TitleBaseline)), ("text-anchor", "middle"), ("font-size", "14"));
        if (Note is not null)
            svg.Element("text", Note, ("class", "note"), ("x", SvgWriter.Px(Width / 2)), ("y", SvgWriter.Px(TitleBaseline + 11)), ("text-anchor", "middle"),
                ("font-size", "9.5"), ("fill", "#555"));
    }

    /// <summary>Said in the middle of an empty plot, so an empty chart reads as empty rather than broken.</summary>
    protected static void DrawNoData(SvgWriter svg, double x, double y) =>
        svg.Element("text", "no data", ("class", "no-data"), ("x", SvgWriter.Px(x)), ("y", SvgWriter.Px(y)), ("text-anchor", "middle"), ("fill", "#777"), ("font-size", "14"));

    // An opaque background keeps the figure readable once converted to PNG (transparent by default).
    private void DrawWithBackground(SvgWriter svg)
    {
        svg.Empty("rect", ("class", "background"), ("width", SvgWriter.Px(Width)), ("height", SvgWriter.Px(Height)), ("fill", "white"));
        Draw(svg);
    }
}
