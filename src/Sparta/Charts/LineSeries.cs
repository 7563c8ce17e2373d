namespace Sparta.Charts;

/// <summary>
/// Points joined in order: one &lt;path class="mark line"&gt; listing the drawn points in
/// <c>data-x</c>/<c>data-y</c>, plus a &lt;circle class="mark point"&gt; per point when there are few.
/// A NaN or infinite point breaks the line there (a diverged loss simply ends).
/// </summary>
public sealed class LineSeries : Series
{
    private const int MarkerLimit = 100;
    private readonly (double X, double Y)[] _points;
    private readonly bool _markers;

    /// <param name="markers">A dot per point; by default only when there are at most 100 points.</param>
    public LineSeries(string name, IEnumerable<(double X, double Y)> points, bool? markers = null, bool dashed = false) : base(name)
    {
        _points = points.ToArray();
        _markers = markers ?? _points.Length <= MarkerLimit;
        Dashed = dashed;
    }

    public bool Dashed { get; }

    public IReadOnlyList<(double X, double Y)> Points => _points;

    public override IEnumerable<double> XValues => _points.Where(IsFinite).Select(p => p.X);

    public override IEnumerable<double> YValues => _points.Where(IsFinite).Select(p => p.Y);

    public override IEnumerable<LegendEntry> Legend(string color) => [new LegendEntry(Name, color, Dot: false, Dashed)];

    public override void Draw(SvgWriter svg, PlotFrame frame, string color)
    {
        var drawn = _points.Where(IsFinite).ToArray();
        if (drawn.Length == 0) return;
        var d = new System.Text.StringBuilder();
        bool broken = true;
        foreach (var point in _points)
        {
            if (!IsFinite(point)) { broken = true; continue; }
            d.Append(broken ? 'M' : 'L').Append(SvgWriter.Px(frame.Px(point.X))).Append(',').Append(SvgWriter.Px(frame.Py(point.Y)));
            broken = false;
        }
        svg.Empty("path", ("class", "mark line"), ("data-series", Name),
            ("data-x", string.Join(' ', drawn.Select(p => SvgWriter.Data(p.X)))), ("data-y", string.Join(' ', drawn.Select(p => SvgWriter.Data(p.Y)))),
            ("d", d.ToString()), ("fill", "none"), ("stroke", color), ("stroke-width", "1.6"), ("stroke-dasharray", Dashed ? "5 3" : null));
        if (!_markers) return;
        foreach (var (x, y) in drawn)
        {
            svg.Open("circle", ("class", "mark point"), ("data-series", Name), ("data-x", SvgWriter.Data(x)), ("data-y", SvgWriter.Data(y)),
                ("cx", SvgWriter.Px(frame.Px(x))), ("cy", SvgWriter.Px(frame.Py(y))), ("r", "2.5"), ("fill", color));
            svg.Element("title", $"{Name}: {SvgWriter.Short(x)}, {SvgWriter.Short(y)}");
            svg.Close("circle");
        }
    }
}
