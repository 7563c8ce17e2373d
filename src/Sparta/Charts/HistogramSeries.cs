namespace Sparta.Charts;

/// <summary>
/// Counts in equal bins over [low, high]: a &lt;rect class="mark bin"&gt; per bin with
/// <c>data-x0</c>, <c>data-x1</c> (the bin's edges) and <c>data-y</c> (its count), standing on zero.
/// </summary>
public sealed class HistogramSeries : Series
{
    private readonly double[] _counts;

    public HistogramSeries(string name, double low, double high, IEnumerable<double> counts) : base(name)
    {
        _counts = counts.ToArray();
        if (!double.IsFinite(low) || !double.IsFinite(high) || !(high > low))
            throw new ArgumentException($"histogram '{name}': range must be finite with high > low, got [{low}, {high}]");
        if (_counts.Length == 0) throw new ArgumentException($"histogram '{name}': needs at least one bin");
        foreach (double count in _counts)
            if (!(count >= 0) || !double.IsFinite(count)) throw new ArgumentException($"histogram '{name}': counts must be finite and non-negative, got {count}");
        Low = low;
        High = high;
    }

    public double Low { get; }

    public double High { get; }

    public IReadOnlyList<double> Counts => _counts;

    public double Edge(int bin) => Low + (High - Low) * bin / _counts.Length;

    public override IEnumerable<double> XValues => [Low, High];

    /// <summary>Zero is included: bars stand on it.</summary>
    public override IEnumerable<double> YValues => _counts.Append(0);

    public override void Draw(SvgWriter svg, PlotFrame frame, string color)
    {
        double baseline = frame.Py(0);
        for (int i = 0; i < _counts.Length; i++)
        {
            double x0 = Edge(i), x1 = Edge(i + 1);
            double left = frame.Px(x0), top = frame.Py(_counts[i]);
            svg.Open("rect", ("class", "mark bin"), ("data-series", Name), ("data-x0", SvgWriter.Data(x0)), ("data-x1", SvgWriter.Data(x1)), ("data-y", SvgWriter.Data(_counts[i])),
                ("x", SvgWriter.Px(left)), ("y", SvgWriter.Px(top)), ("width", SvgWriter.Px(frame.Px(x1) - left)), ("height", SvgWriter.Px(baseline - top)),
                ("fill", color), ("fill-opacity", "0.75"), ("stroke", "white"), ("stroke-width", "0.5"));
            svg.Tooltip($"[{SvgWriter.Short(x0)}, {SvgWriter.Short(x1)}): {SvgWriter.Short(_counts[i])}");
            svg.Close("rect");
        }
    }
}
