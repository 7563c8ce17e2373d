using System.Globalization;
using System.Text;

namespace Sparta.Diagnostics;

/// <summary>
/// A minimal SVG plot: one frame with axes, tick labels, a title, and series drawn as polylines
/// (lines, optimizer paths) or bars (histograms). Enough for the labs' figures without a plotting
/// library; every series gets one &lt;path&gt; element, named in the legend.
/// </summary>
public sealed class SvgChart
{
    private const int Width = 640, Height = 420, Left = 60, Right = 150, Top = 30, Bottom = 40;
    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points, bool Bars)> _series = [];

    public SvgChart(string title, string xLabel, string yLabel)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    public string Title { get; }
    public string XLabel { get; }
    public string YLabel { get; }

    /// <summary>The plotted window; by default the points' bounding box.</summary>
    public (double XMin, double XMax, double YMin, double YMax)? Window { get; set; }

    public SvgChart Line(string name, IReadOnlyList<(double X, double Y)> points)
    {
        _series.Add((name, points, false));
        return this;
    }

    /// <summary>A histogram: one bar per bin from <c>Low + i·width</c>.</summary>
    public SvgChart Bars(string name, Histogram histogram)
    {
        var points = histogram.Counts.Select((c, i) => (histogram.Low + i * histogram.BinWidth, (double)c)).ToArray();
        _series.Add((name, points, true));
        Window ??= (histogram.Low, histogram.High, 0, Math.Max(1, histogram.Counts.Max()));
        return this;
    }

    public string ToSvg()
    {
        var finite = _series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        var (x0, x1, y0, y1) = Window ?? (finite.Length == 0 ? (0, 1, 0, 1)
            : (finite.Min(p => p.X), finite.Max(p => p.X), finite.Min(p => p.Y), finite.Max(p => p.Y)));
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        // Points outside the window are clamped to its edge so a diverging path still shows where it left.
        string Px(double x) => F(Left + plotW * Math.Clamp((x - x0) / (x1 - x0), 0, 1));
        string Py(double y) => F(Top + plotH * (1 - Math.Clamp((y - y0) / (y1 - y0), 0, 1)));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{Escape(Title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"none\" stroke=\"black\"/>\n");
        for (int t = 0; t <= 4; t++)
        {
            double x = x0 + (x1 - x0) * t / 4, y = y0 + (y1 - y0) * t / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Px(x)}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{x:G3}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Py(y)}\" text-anchor=\"end\">{y:G3}</text>\n");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + plotW / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Escape(XLabel)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{F(Top + plotH / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {F(Top + plotH / 2)})\">{Escape(YLabel)}</text>\n");
        for (int s = 0; s < _series.Count; s++)
        {
            var (name, points, bars) = _series[s];
            string color = Colors[s % Colors.Length];
            var d = new StringBuilder();
            if (bars)
            {
                double width = points.Count > 1 ? points[1].X - points[0].X : x1 - x0;
                foreach (var (x, y) in points)
                    d.Append(CultureInfo.InvariantCulture, $"M{Px(x)},{Py(y0)}V{Py(y)}H{Px(x + width)}V{Py(y0)}");
            }
            else
            {
                for (int i = 0; i < points.Count; i++)
                    d.Append(i == 0 ? 'M' : 'L').Append(Px(points[i].X)).Append(',').Append(Py(points[i].Y));
            }
            svg.Append(CultureInfo.InvariantCulture, $"<path data-series=\"{Escape(name)}\" data-points=\"{points.Count}\" d=\"{d}\" fill=\"{(bars ? color : "none")}\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n");
            int ly = Top + 14 * s + 10;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 10}\" y1=\"{ly - 4}\" x2=\"{Width - Right + 30}\" y2=\"{ly - 4}\" stroke=\"{color}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 34}\" y=\"{ly}\">{Escape(name)}</text>\n");
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    public void Save(string path) => File.WriteAllText(path, ToSvg());

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
