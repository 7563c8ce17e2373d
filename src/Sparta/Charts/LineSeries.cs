namespace Sparta.Charts;

/// <summary>
/// Points joined in order: one &lt;path class="mark line"&gt; listing the drawn points in
/// <c>data-x</c>/<c>data-y</c>, plus a &lt;circle class="mark point"&gt; per point when there are few.
/// A NaN or infinite point breaks the line there (a diverged loss simply ends).
/// </summary>
/// <remarks>
/// A line given a point budget (<see cref="MaxPoints"/>) and holding more points than that is drawn
/// as its envelope: the plot is cut into columns one pixel wide and each column keeps, in their
/// order, its first, lowest, highest and last points (the path a browser draws through every point
/// covers the same pixels, so a spike stays visible); points a zoom left outside the plot fall in
/// one column on either side. The path then carries <c>data-count</c>, the points it stands for.
/// </remarks>
public sealed class LineSeries : Series
{
    private const int MarkerLimit = 100;
    private readonly (double X, double Y)[] _points;
    private readonly bool _markers;

    /// <param name="markers">A dot per point; by default only when there are at most 100 points.</param>
    /// <param name="maxPoints">Above this many points the line is drawn as its envelope per pixel column; null draws every point.</param>
    public LineSeries(string name, IEnumerable<(double X, double Y)> points, bool? markers = null, bool dashed = false, int? maxPoints = null) : base(name)
    {
        _points = points.ToArray();
        _markers = markers ?? _points.Length <= MarkerLimit;
        Dashed = dashed;
        MaxPoints = maxPoints;
    }

    public bool Dashed { get; }

    /// <summary>Above this many finite points the line is drawn as its envelope; null draws every point.</summary>
    public int? MaxPoints { get; }

    public IReadOnlyList<(double X, double Y)> Points => _points;

    public override IEnumerable<double> XValues => _points.Where(IsFinite).Select(p => p.X);

    public override IEnumerable<double> YValues => _points.Where(IsFinite).Select(p => p.Y);

    public override IEnumerable<LegendEntry> Legend(string color) => [new LegendEntry(Name, color, Dot: false, Dashed)];

    public override void Draw(SvgWriter svg, PlotFrame frame, string color)
    {
        var finite = _points.Where(IsFinite).ToArray();
        if (finite.Length == 0) return;
        bool enveloped = MaxPoints is int max && finite.Length > max;
        IReadOnlyList<(double X, double Y)> points = enveloped ? Envelope(_points, frame) : _points;
        var drawn = enveloped ? points.Where(IsFinite).ToArray() : finite;
        var d = new System.Text.StringBuilder();
        bool broken = true;
        foreach (var point in points)
        {
            if (!IsFinite(point)) { broken = true; continue; }
            d.Append(broken ? 'M' : 'L').Append(SvgWriter.Px(frame.Px(point.X))).Append(',').Append(SvgWriter.Px(frame.Py(point.Y)));
            broken = false;
        }
        svg.Empty("path", ("class", "mark line"), ("data-series", Name),
            ("data-x", string.Join(' ', drawn.Select(p => SvgWriter.Data(p.X)))), ("data-y", string.Join(' ', drawn.Select(p => SvgWriter.Data(p.Y)))),
            ("data-count", enveloped ? finite.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : null),
            ("d", d.ToString()), ("fill", "none"), ("stroke", color), ("stroke-width", "1.6"), ("stroke-dasharray", Dashed ? "5 3" : null));
        if (!_markers || enveloped) return;
        foreach (var (x, y) in drawn)
        {
            svg.Open("circle", ("class", "mark point"), ("data-series", Name), ("data-x", SvgWriter.Data(x)), ("data-y", SvgWriter.Data(y)),
                ("cx", SvgWriter.Px(frame.Px(x))), ("cy", SvgWriter.Px(frame.Py(y))), ("r", "2.5"), ("fill", color));
            svg.Tooltip($"{Name}: {SvgWriter.Short(x)}, {SvgWriter.Short(y)}");
            svg.Close("circle");
        }
    }

    /// <summary>
    /// The points kept in each pixel column (first, lowest, highest, last, in their order), a column
    /// ending where the line breaks (a non-finite point, kept to break the drawn line too).
    /// </summary>
    public static List<(double X, double Y)> Envelope(IReadOnlyList<(double X, double Y)> points, PlotFrame frame)
    {
        var kept = new List<(double X, double Y)>();
        int start = 0; // the first point of the current column
        long column = 0;
        for (int i = 0; i <= points.Count; i++)
        {
            bool end = i == points.Count || !IsFinite(points[i]);
            long here = end ? 0 : Column(frame, points[i].X);
            if (i > start && (end || here != column)) Keep(points, start, i, kept);
            if (end)
            {
                if (i < points.Count) kept.Add(points[i]);
                start = i + 1;
            }
            else if (i == start || here != column) (start, column) = (i, here);
        }
        return kept;
    }

    /// <summary>A point's pixel column; left of the plot is column -1, right of it the column past its width.</summary>
    private static long Column(PlotFrame frame, double x)
    {
        double px = frame.Px(x);
        return px < 0 ? -1 : px > frame.Width ? (long)Math.Ceiling(frame.Width) + 1 : (long)Math.Floor(px);
    }

    /// <summary>Adds the first, lowest, highest and last of points[from..to), each once, in their order.</summary>
    private static void Keep(IReadOnlyList<(double X, double Y)> points, int from, int to, List<(double X, double Y)> kept)
    {
        int low = from, high = from;
        for (int i = from + 1; i < to; i++)
        {
            if (points[i].Y < points[low].Y) low = i;
            if (points[i].Y > points[high].Y) high = i;
        }
        foreach (int i in new[] { from, low, high, to - 1 }.Distinct().Order()) kept.Add(points[i]);
    }
}
