namespace Sparta.Charts;

/// <summary>
/// Separate points: a &lt;circle class="mark point state-S"&gt; each, with <c>data-x</c>, <c>data-y</c>,
/// <c>data-state</c>, <c>data-trial</c> and a &lt;title&gt; tooltip. Complete points take the series'
/// colour; other states a colour of their own, each named in the legend.
/// </summary>
/// <remarks>
/// A series given a mark budget (<see cref="MaxMarks"/>) and holding more points than that is drawn
/// binned, so a study of any size stays a figure a browser lays out at once: the plot is cut into
/// cells of <see cref="CellPx"/> pixels, and each occupied cell (per state) is one mark at its first
/// point, carrying in <c>data-count</c> how many points the cell holds and grown with that count.
/// </remarks>
public sealed class ScatterSeries : Series
{
    /// <summary>The side of a binned series' cells, in pixels: about a mark's width, so no visible detail is lost.</summary>
    public const double CellPx = 8;

    private static readonly Dictionary<string, string> StateColors = new()
    {
        ["pruned"] = "#9e9e9e",
        ["failed"] = "#d62728",
        ["running"] = "#e6a800",
    };

    private readonly ScatterPoint[] _points;

    public ScatterSeries(string name, IEnumerable<ScatterPoint> points, int? maxMarks = null) : base(name)
    {
        _points = points.ToArray();
        MaxMarks = maxMarks;
    }

    public IReadOnlyList<ScatterPoint> Points => _points;

    /// <summary>Above this many points the series is drawn binned; null draws every point.</summary>
    public int? MaxMarks { get; }

    /// <summary>Whether the points are more than the mark budget, so the series is drawn binned.</summary>
    public bool Binned => MaxMarks is int max && Finite.Count() > max;

    public override IEnumerable<double> XValues => Finite.Select(p => p.X);

    public override IEnumerable<double> YValues => Finite.Select(p => p.Y);

    private IEnumerable<ScatterPoint> Finite => _points.Where(p => IsFinite((p.X, p.Y)));

    public override IEnumerable<LegendEntry> Legend(string color)
    {
        var states = Finite.Select(p => p.State).Distinct().ToArray();
        return states is [ScatterPoint.Complete] or []
            ? [new LegendEntry(Name, color, Dot: true)]
            : states.Select(s => new LegendEntry(s == ScatterPoint.Complete ? Name : $"{Name} ({s})", ColorOf(s, color), Dot: true));
    }

    public override void Draw(SvgWriter svg, PlotFrame frame, string color)
    {
        if (!Binned)
        {
            foreach (var point in Finite) DrawPoint(svg, frame, color, point, count: null);
            return;
        }
        foreach (var (point, count) in Bins(frame)) DrawPoint(svg, frame, color, point, count);
    }

    /// <summary>
    /// The occupied cells inside the plot (points a zoom left outside it are not drawn), each as its
    /// first point and how many points of the same state it holds, in the order the points came.
    /// </summary>
    private IEnumerable<(ScatterPoint First, int Count)> Bins(PlotFrame frame)
    {
        var cells = new Dictionary<(long, long, string), int>();
        var bins = new List<(ScatterPoint First, int Count)>();
        foreach (var point in Finite)
        {
            double px = frame.Px(point.X), py = frame.Py(point.Y);
            if (!(px >= 0 && px <= frame.Width && py >= 0 && py <= frame.Height)) continue;
            var cell = ((long)Math.Floor(px / CellPx), (long)Math.Floor(py / CellPx), point.State);
            if (cells.TryGetValue(cell, out int index)) bins[index] = (bins[index].First, bins[index].Count + 1);
            else
            {
                cells[cell] = bins.Count;
                bins.Add((point, 1));
            }
        }
        return bins;
    }

    private void DrawPoint(SvgWriter svg, PlotFrame frame, string color, ScatterPoint point, int? count)
    {
        // A cell of many points is drawn larger (by the log of its count) so dense regions read as dense.
        double radius = count is int n ? 3.5 + 1.5 * Math.Log10(n) : 3.5;
        svg.Open("circle", ("class", $"mark point state-{CssName(point.State)}"), ("data-series", Name),
            ("data-x", SvgWriter.Data(point.X)), ("data-y", SvgWriter.Data(point.Y)), ("data-state", point.State),
            ("data-trial", point.Trial?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("data-count", count?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("cx", SvgWriter.Px(frame.Px(point.X))), ("cy", SvgWriter.Px(frame.Py(point.Y))), ("r", SvgWriter.Px(radius)),
            ("fill", ColorOf(point.State, color)), ("fill-opacity", "0.8"));
        string tooltip = point.Tooltip ?? DefaultTooltip(point);
        svg.Tooltip(count is > 1 ? $"{tooltip}; {count - 1} more nearby" : tooltip);
        svg.Close("circle");
    }

    private string DefaultTooltip(ScatterPoint point) =>
        $"{(point.Trial is int t ? $"trial {t}" : Name)}: {SvgWriter.Short(point.X)}, {SvgWriter.Short(point.Y)} ({point.State})";

    private static string ColorOf(string state, string seriesColor) =>
        state == ScatterPoint.Complete ? seriesColor : StateColors.GetValueOrDefault(state, "#444444");

    /// <summary>A state as a CSS class name: lower-case letters, digits and dashes.</summary>
    private static string CssName(string state) =>
        new(state.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
