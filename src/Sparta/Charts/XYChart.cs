namespace Sparta.Charts;

/// <summary>
/// A plot on two axes, each linear or logarithmic: lines, scatter points, histograms and shaded
/// bands, a legend on the right when a series has a name. Axes fit the finite data (nice bounds)
/// unless a range is set; a log axis refuses non-positive data with an error naming the series.
/// </summary>
public sealed class XYChart : Chart
{
    private const double Left = 64, Top = 34, Bottom = 46, LegendWidth = 150, NoLegendRight = 24;
    private readonly List<Series> _series = [];
    private readonly List<Band> _bands = [];

    public XYChart(string title, string xLabel, string yLabel) : base(title) => (XLabel, YLabel) = (xLabel, yLabel);

    public string XLabel { get; }
    public string YLabel { get; }
    public AxisScale XScale { get; set; }
    public AxisScale YScale { get; set; }

    /// <summary>Names the x values 0, 1, 2, ... (a categorical parameter's choices): the x axis is then categorical.</summary>
    public IReadOnlyList<string>? XCategories { get; set; }

    /// <summary>Fixed axis bounds; data outside them is clipped at the plot's edge.</summary>
    public (double Min, double Max)? XRange { get; set; }

    public (double Min, double Max)? YRange { get; set; }

    public IReadOnlyList<Series> Series => _series;

    public XYChart Add(Series series)
    {
        _series.Add(series);
        return this;
    }

    /// <param name="maxPoints">Above this many points the line is drawn as its envelope per pixel column (<see cref="LineSeries"/>); null draws every point.</param>
    public XYChart Line(string name, IEnumerable<(double X, double Y)> points, bool? markers = null, bool dashed = false, int? maxPoints = null) =>
        Add(new LineSeries(name, points, markers, dashed, maxPoints));

    /// <param name="maxMarks">Above this many points the series is drawn binned (<see cref="ScatterSeries"/>); null draws every point.</param>
    public XYChart Scatter(string name, IEnumerable<ScatterPoint> points, int? maxMarks = null) => Add(new ScatterSeries(name, points, maxMarks));

    public XYChart Histogram(string name, double low, double high, IEnumerable<double> counts) => Add(new HistogramSeries(name, low, high, counts));

    public XYChart Band(double low, double high, string label)
    {
        _bands.Add(new Band(low, high, label));
        return this;
    }

    protected override void Draw(SvgWriter svg)
    {
        CheckLogAxes();
        bool hasData = _series.Any(s => s.XValues.Any());
        var legend = _series.SelectMany((s, i) => s.Legend(Palette.Series(i))).Where(e => e.Label.Length > 0).ToArray();
        double right = legend.Length > 0 ? LegendWidth : NoLegendRight;
        var x = XCategories is { } categories ? new CategoricalAxis(XLabel, categories)
            : Axis.Fit(XScale, _series.SelectMany(s => s.XValues), XLabel, XRange, $"chart '{Title}': x axis");
        var y = Axis.Fit(YScale, _series.SelectMany(s => s.YValues).Concat(hasData ? _bands.SelectMany(b => new[] { b.Low, b.High }) : []), YLabel, YRange, $"chart '{Title}': y axis");
        var frame = new PlotFrame(x, y, Width - Left - right, Height - Top - Bottom);

        DrawTitle(svg);
        AxisDrawing.Bottom(svg, frame, Left, Top);
        AxisDrawing.Left(svg, frame, Left, Top);
        frame.Open(svg, Left, Top, clip: XRange is not null || YRange is not null);
        if (hasData)
        {
            foreach (var band in _bands) band.Draw(svg, frame);
            for (int i = 0; i < _series.Count; i++) _series[i].Draw(svg, frame, Palette.Series(i));
        }
        svg.Close("svg");
        svg.Empty("rect", ("class", "frame"), ("x", SvgWriter.Px(Left)), ("y", SvgWriter.Px(Top)), ("width", SvgWriter.Px(frame.Width)), ("height", SvgWriter.Px(frame.Height)),
            ("fill", "none"), ("stroke", "#999"));
        if (!hasData) DrawNoData(svg, Left + frame.Width / 2, Top + frame.Height / 2);
        DrawLegend(svg, legend, Width - right + 10);
    }

    private void CheckLogAxes()
    {
        foreach (var series in _series)
        {
            if (XScale == AxisScale.Log) RequirePositive(series, "x", series.XValues);
            if (YScale == AxisScale.Log) RequirePositive(series, "y", series.YValues);
        }
    }

    private void RequirePositive(Series series, string axis, IEnumerable<double> values)
    {
        foreach (double value in values)
            if (value <= 0)
                throw new ArgumentException($"chart '{Title}': the {axis} axis is logarithmic but series '{series.Name}' has {axis} = {value}; log axes need positive values");
    }

    private static void DrawLegend(SvgWriter svg, IReadOnlyList<LegendEntry> entries, double left)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            double y = Top + 10 + 16 * i;
            svg.Open("g", ("class", "legend-entry"), ("data-series", entry.Label));
            if (entry.Dot)
                svg.Empty("circle", ("cx", SvgWriter.Px(left + 10)), ("cy", SvgWriter.Px(y - 4)), ("r", "3.5"), ("fill", entry.Color));
            else
                svg.Empty("line", ("x1", SvgWriter.Px(left)), ("y1", SvgWriter.Px(y - 4)), ("x2", SvgWriter.Px(left + 20)), ("y2", SvgWriter.Px(y - 4)),
                    ("stroke", entry.Color), ("stroke-width", "2"), ("stroke-dasharray", entry.Dashed ? "5 3" : null));
            svg.Element("text", entry.Label, ("x", SvgWriter.Px(left + 26)), ("y", SvgWriter.Px(y)));
            svg.Close("g");
        }
    }
}
