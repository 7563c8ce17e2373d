namespace Sparta.Charts;

/// <summary>
/// Separate points: a &lt;circle class="mark point state-S"&gt; each, with <c>data-x</c>, <c>data-y</c>,
/// <c>data-state</c>, <c>data-trial</c> and a &lt;title&gt; tooltip. Complete points take the series'
/// colour; other states a colour of their own, each named in the legend.
/// </summary>
public sealed class ScatterSeries : Series
{
    private static readonly Dictionary<string, string> StateColors = new()
    {
        ["pruned"] = "#9e9e9e",
        ["failed"] = "#d62728",
        ["running"] = "#e6a800",
    };

    private readonly ScatterPoint[] _points;

    public ScatterSeries(string name, IEnumerable<ScatterPoint> points) : base(name) => _points = points.ToArray();

    public IReadOnlyList<ScatterPoint> Points => _points;

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
        foreach (var point in Finite)
        {
            svg.Open("circle", ("class", $"mark point state-{CssName(point.State)}"), ("data-series", Name),
                ("data-x", SvgWriter.Data(point.X)), ("data-y", SvgWriter.Data(point.Y)), ("data-state", point.State),
                ("data-trial", point.Trial?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("cx", SvgWriter.Px(frame.Px(point.X))), ("cy", SvgWriter.Px(frame.Py(point.Y))), ("r", "3.5"),
                ("fill", ColorOf(point.State, color)), ("fill-opacity", "0.8"));
            svg.Element("title", point.Tooltip ?? DefaultTooltip(point));
            svg.Close("circle");
        }
    }

    private string DefaultTooltip(ScatterPoint point) =>
        $"{(point.Trial is int t ? $"trial {t}" : Name)}: {SvgWriter.Short(point.X)}, {SvgWriter.Short(point.Y)} ({point.State})";

    private static string ColorOf(string state, string seriesColor) =>
        state == ScatterPoint.Complete ? seriesColor : StateColors.GetValueOrDefault(state, "#444444");

    /// <summary>A state as a CSS class name: lower-case letters, digits and dashes.</summary>
    private static string CssName(string state) =>
        new(state.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
