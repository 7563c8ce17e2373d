namespace Sparta.Charts;

/// <summary>
/// Horizontal bars, one per category, in the order given (e.g. parameter importance, largest first):
/// &lt;rect class="mark bar"&gt; with <c>data-category</c> and <c>data-value</c>, measured on a linear
/// value axis that includes zero. The chart grows with the number of bars.
/// </summary>
public sealed class BarChart : Chart
{
    private const double Top = 34, Bottom = 46, Right = 24, BarPitch = 22;
    private readonly List<(string Category, double Value, string? Tooltip)> _bars = [];

    public BarChart(string title, string valueLabel) : base(title) => ValueLabel = valueLabel;

    public string ValueLabel { get; }

    public override double Height => Top + Bottom + BarPitch * Math.Max(3, _bars.Count);

    public IReadOnlyList<(string Category, double Value, string? Tooltip)> Bars => _bars;

    public BarChart Bar(string category, double value, string? tooltip = null)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"bar chart '{Title}': bar '{category}' needs a finite value, got {value}");
        _bars.Add((category, value, tooltip));
        return this;
    }

    protected override void Draw(SvgWriter svg)
    {
        // Room for the longest category name, within reason (about 6.5 px a character at 11 px).
        double left = Math.Clamp(16 + 6.5 * _bars.Select(b => b.Category.Length).DefaultIfEmpty(0).Max(), 64, 280);
        var values = _bars.Select(b => b.Value).Append(0);
        var x = LinearAxis.Fit(values.ToArray(), ValueLabel);
        var y = new LinearAxis("", 0, Math.Max(1, _bars.Count));
        var frame = new PlotFrame(x, y, Width - left - Right, Height - Top - Bottom);

        DrawTitle(svg);
        AxisDrawing.Bottom(svg, frame, left, Top);
        frame.Open(svg, left, Top, clip: false);
        double zero = frame.Px(0), band = frame.Height / Math.Max(1, _bars.Count);
        for (int i = 0; i < _bars.Count; i++)
        {
            var (category, value, tooltip) = _bars[i];
            double end = frame.Px(value);
            svg.Open("rect", ("class", "mark bar"), ("data-category", category), ("data-value", SvgWriter.Data(value)),
                ("x", SvgWriter.Px(Math.Min(zero, end))), ("y", SvgWriter.Px(band * i + band * 0.15)),
                ("width", SvgWriter.Px(Math.Abs(end - zero))), ("height", SvgWriter.Px(band * 0.7)), ("fill", Palette.Series(0)));
            svg.Tooltip(tooltip ?? $"{category}: {SvgWriter.Short(value)}");
            svg.Close("rect");
        }
        svg.Close("svg");
        for (int i = 0; i < _bars.Count; i++)
            svg.Element("text", _bars[i].Category, ("class", "category"), ("x", SvgWriter.Px(left - 6)), ("y", SvgWriter.Px(Top + band * (i + 0.5))),
                ("text-anchor", "end"), ("dominant-baseline", "middle"));
        if (_bars.Count == 0) DrawNoData(svg, left + frame.Width / 2, Top + frame.Height / 2);
    }
}
