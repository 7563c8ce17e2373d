using Sparta.Charts;

namespace Sparta.Tests.Charts;

public class XYChartTests
{
    [Fact]
    public void LinePointsMapBackThroughTheLinearAxesToTheirData()
    {
        var points = new[] { (1.0, 2.31), (2.0, 1.7), (3.0, 0.93), (4.0, 0.87), (5.0, 0.42) };
        var svg = SvgProbe.Parse(new XYChart("loss", "epoch", "loss").Line("loss", points).ToSvg());

        var dots = svg.Marks("point").ToArray();
        Assert.Equal(points.Length, dots.Length);
        for (int i = 0; i < points.Length; i++)
        {
            var area = dots[i].Area();
            Assert.Equal(points[i].Item1, dots[i].Number("data-x"));
            Assert.Equal(points[i].Item2, dots[i].Number("data-y"));
            Assert.Equal(points[i].Item1, area.DataX(dots[i].Number("cx")), area.XTolerance(points[i].Item1));
            Assert.Equal(points[i].Item2, area.DataY(dots[i].Number("cy")), area.YTolerance(points[i].Item2));
        }
        var line = Assert.Single(svg.Marks("line"));
        Assert.Equal(points.Select(p => p.Item2), line.Numbers("data-y"));
        var vertices = line.PathVertices();
        for (int i = 0; i < points.Length; i++)
            Assert.Equal(points[i].Item2, line.Area().DataY(vertices[i].Y), line.Area().YTolerance(points[i].Item2));
    }

    [Fact]
    public void FittedLinearAxesHoldTheDataAndTickAtOneTwoOrFiveTimesAPowerOfTen()
    {
        var svg = SvgProbe.Parse(new XYChart("c", "x", "y").Line("s", [(0.013, -7.2), (0.61, 48.5)]).ToSvg());
        var area = svg.Marks("point").First().Area();
        Assert.True(area.DataX(0) <= 0.013 && area.DataX(area.Width) >= 0.61);
        Assert.True(area.DataY(area.Height) <= -7.2 && area.DataY(0) >= 48.5);
        foreach (string axis in new[] { "x-tick", "y-tick" })
        {
            var ticks = svg.WithClass(axis).Select(t => t.Number("data-value")).ToArray();
            Assert.True(ticks.Length >= 3, $"{axis}: {ticks.Length} ticks");
            double step = ticks[1] - ticks[0];
            double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
            Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
            for (int i = 1; i < ticks.Length; i++) Assert.Equal(step, ticks[i] - ticks[i - 1], 9);
        }
    }

    [Fact]
    public void ALogAxisPlacesPowersOfTenAtEqualSpacingAndTicksAtDecades()
    {
        var points = Enumerable.Range(-4, 5).Select(k => ((double)k, Math.Pow(10, k))).ToArray();
        var svg = SvgProbe.Parse(new XYChart("ratio", "epoch", "ratio") { YScale = AxisScale.Log }.Line("r", points).ToSvg());

        var ys = svg.Marks("point").Select(p => p.Number("cy")).ToArray();
        double gap = ys[0] - ys[1];
        Assert.True(gap > 10);
        for (int i = 1; i < ys.Length; i++) Assert.Equal(gap, ys[i - 1] - ys[i], 1);
        foreach (var dot in svg.Marks("point"))
            Assert.Equal(dot.Number("data-y"), dot.Area().DataY(dot.Number("cy")), dot.Area().YTolerance(dot.Number("data-y")));

        var ticks = svg.WithClass("y-tick").ToArray();
        Assert.Equal(new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1 }, ticks.Select(t => t.Number("data-value")));
        var tickYs = ticks.Select(t => t.Elements().First().Number("y1")).ToArray();
        for (int i = 1; i < tickYs.Length; i++) Assert.Equal(gap, tickYs[i - 1] - tickYs[i], 1);
    }

    [Fact]
    public void NaNAndInfinitePointsAreNotDrawnAndBreakTheLine()
    {
        var points = new[] { (1.0, 1.0), (2.0, double.NaN), (3.0, 3.0), (4.0, 2.0), (double.PositiveInfinity, 5.0), (6.0, double.NegativeInfinity) };
        var svg = SvgProbe.Parse(new XYChart("c", "x", "y").Line("s", points).ToSvg());

        Assert.Equal(new[] { 1.0, 3.0, 4.0 }, svg.Marks("point").Select(p => p.Number("data-x")));
        var line = Assert.Single(svg.Marks("line"));
        Assert.Equal(new[] { 1.0, 3.0, 4.0 }, line.Numbers("data-x"));
        Assert.Equal(2, ((string)line.Attribute("d")!).Count(c => c == 'M'));
        Assert.True(line.Area().DataY(0) < 10, "an infinite value must not stretch the axis");
    }

    [Fact]
    public void AChartWithoutDataIsValidAndSaysSo()
    {
        foreach (var chart in new[] { new XYChart("empty", "x", "y"), new XYChart("nan only", "x", "y") { YScale = AxisScale.Log }.Line("s", [(1, double.NaN)]) })
        {
            var svg = SvgProbe.Parse(chart.ToSvg());
            Assert.Equal("no data", Assert.Single(svg.WithClass("no-data")).Value);
            Assert.Empty(svg.WithClass("mark"));
        }
    }

    [Fact]
    public void ALogAxisRejectsNonPositiveValuesNamingTheSeriesAndValue()
    {
        var chart = new XYChart("ratios", "epoch", "ratio") { YScale = AxisScale.Log }.Line("dense/kernel", [(1, 0.01), (2, 0.0)]);
        var error = Assert.Throws<ArgumentException>(chart.ToSvg);
        Assert.Contains("'ratios'", error.Message);
        Assert.Contains("'dense/kernel'", error.Message);
        Assert.Contains("y = 0", error.Message);
        var x = new XYChart("lr", "rate", "loss") { XScale = AxisScale.Log }.Line("loss", [(-1, 2)]);
        Assert.Contains("x = -1", Assert.Throws<ArgumentException>(x.ToSvg).Message);
    }

    [Fact]
    public void ScatterPointsCarryTheirStateTrialAndTooltip()
    {
        var points = new[]
        {
            new ScatterPoint(0, 0.9, Trial: 0),
            new ScatterPoint(1, 0.5, "pruned", 1),
            new ScatterPoint(2, 0.7, "failed", 2, "trial 2 <failed>"),
        };
        var svg = SvgProbe.Parse(new XYChart("history", "trial", "value").Scatter("objective", points).ToSvg());
        var marks = svg.Marks("point").ToArray();
        Assert.Equal(new[] { "complete", "pruned", "failed" }, marks.Select(m => (string)m.Attribute("data-state")!));
        Assert.Equal(new[] { "0", "1", "2" }, marks.Select(m => (string)m.Attribute("data-trial")!));
        Assert.Contains("state-pruned", (string)marks[1].Attribute("class")!);
        Assert.Equal("trial 2 <failed>", marks[2].Elements().Single(e => e.Name.LocalName == "title").Value);
        Assert.Equal(3, marks.Select(m => (string)m.Attribute("fill")!).Distinct().Count());
        foreach (var mark in marks)
            Assert.Equal(mark.Number("data-y"), mark.Area().DataY(mark.Number("cy")), mark.Area().YTolerance(mark.Number("data-y")));
        Assert.Equal(3, svg.WithClass("legend-entry").Count());
    }

    [Fact]
    public void WithoutTooltipsEveryMarkIsTheSameLessItsTitle()
    {
        var scatter = Enumerable.Range(0, 40).Select(i => new ScatterPoint(i % 3, Math.Sin(i), i % 4 == 0 ? "pruned" : ScatterPoint.Complete, i)).ToArray();
        Chart[] charts =
        [
            new XYChart("xy", "x", "y") { XCategories = ["relu", "tanh", "gelu"] }.Scatter("s", scatter).Scatter("binned", scatter, maxMarks: 10),
            new XYChart("lines", "x", "y").Line("dots", [(1, 2), (2, 3)]).Histogram("h", 0, 3, [1, 2, 3]),
            new BarChart("bars", "share").Bar("a", 0.7).Bar("b", 0.3),
            new ParallelCoordinatesChart("pc", "value").Numeric("lr").Trial(0, 1.5, 0.1).Trial(1, 0.5, 0.2),
        ];
        foreach (var chart in charts)
        {
            var full = SvgProbe.Parse(chart.ToSvg());
            var bare = SvgProbe.Parse(chart.ToSvg(tooltips: false));
            // A line's path has none: its points (the dots) do.
            var titled = full.Descendants().Where(e => e.Attribute("class")?.Value.Split(' ') is { } c && c.Contains("mark") && !c.Contains("line")).ToArray();
            Assert.NotEmpty(titled);
            Assert.All(titled, m => Assert.Single(m.Elements(), e => e.Name.LocalName == "title"));
            Assert.Empty(bare.Descendants().Where(e => e.Name.LocalName == "title"));
            foreach (var title in full.Descendants().Where(e => e.Name.LocalName == "title").ToArray()) title.Remove();
            Assert.Equal(Shape(full), Shape(bare));
        }
    }

    /// <summary>Every element in document order: its name, attributes and, for a leaf, its text.</summary>
    private static string[] Shape(System.Xml.Linq.XDocument svg) => svg.Descendants()
        .Select(e => e.Name.LocalName + string.Concat(e.Attributes().Select(a => $" {a.Name}={a.Value}")) + (e.HasElements ? "" : ": " + e.Value)).ToArray();

    [Fact]
    public void ACategoricalXAxisListsItsCategoriesForTheReader()
    {
        string[] categories = ["relu", "tanh \"gelu\"", "x < y"];
        var svg = SvgProbe.Parse(new XYChart("slice", "activation", "value") { XCategories = categories }
            .Scatter("", [new ScatterPoint(0, 1), new ScatterPoint(2, 3)]).ToSvg());
        var area = svg.WithClass("plot-area").Single();
        Assert.Equal("category", (string)area.Attribute("data-x-scale")!);
        Assert.Equal(categories, System.Text.Json.JsonSerializer.Deserialize<string[]>((string)area.Attribute("data-x-categories")!));
        Assert.Null(SvgProbe.Parse(new XYChart("numbers", "x", "y").Line("l", [(0, 1), (1, 2)]).ToSvg()).WithClass("plot-area").Single().Attribute("data-x-categories"));
    }

    [Fact]
    public void HistogramBinsSpanTheirEdgesAndStandOnZero()
    {
        var counts = new double[] { 3, 0, 12, 7 };
        var svg = SvgProbe.Parse(new XYChart("h", "activation", "count").Histogram("layer 0", -1, 1, counts).ToSvg());
        var bins = svg.Marks("bin").ToArray();
        Assert.Equal(counts, bins.Select(b => b.Number("data-y")));
        for (int i = 0; i < bins.Length; i++)
        {
            var area = bins[i].Area();
            double left = bins[i].Number("x"), top = bins[i].Number("y");
            Assert.Equal(-1 + 0.5 * i, area.DataX(left), area.XTolerance(1));
            Assert.Equal(-0.5 + 0.5 * i, area.DataX(left + bins[i].Number("width")), 2 * area.XTolerance(1));
            Assert.Equal(counts[i], area.DataY(top), area.YTolerance(1));
            Assert.Equal(0, area.DataY(top + bins[i].Number("height")), 2 * area.YTolerance(1));
        }
    }

    [Fact]
    public void ABandIsDrawnBetweenItsValuesAndWidensTheAxisToShowIt()
    {
        var chart = new XYChart("ratio", "epoch", "ratio") { YScale = AxisScale.Log }.Line("d", [(1, 0.05), (2, 0.04)]).Band(1e-3, 1e-2, "healthy");
        var svg = SvgProbe.Parse(chart.ToSvg());
        var band = Assert.Single(svg.WithClass("band"));
        var area = svg.Marks("point").First().Area();
        Assert.Equal(1e-2, area.DataY(band.Number("y")), area.YTolerance(1e-2));
        Assert.Equal(1e-3, area.DataY(band.Number("y") + band.Number("height")), 2 * area.YTolerance(1e-3));
    }

    [Fact]
    public void AFixedRangeClipsAndTextIsEscaped()
    {
        var chart = new XYChart("a < b & \"c\"", "x", "y") { XRange = (0, 1), YRange = (0, 1) }.Line("s", [(0.5, 0.5), (3, 9)]);
        var svg = SvgProbe.Parse(chart.ToSvg());
        Assert.Equal("a < b & \"c\"", svg.WithClass("title").Single().Value);
        var area = svg.Marks("line").Single().Ancestors().First();
        Assert.Equal("hidden", (string)area.Attribute("overflow")!);
        Assert.Equal(1.0, area.Number("data-x-max"));
    }

    [Fact]
    public void BadRangesAndHistogramsAreNamed()
    {
        Assert.Contains("got [1, 1]", Assert.Throws<ArgumentException>(new XYChart("c", "epoch", "y") { XRange = (1, 1) }.Line("s", [(1, 1)]).ToSvg).Message);
        Assert.Contains("log axis 'rate': range must be positive", Assert.Throws<ArgumentException>(new XYChart("c", "rate", "y") { XScale = AxisScale.Log, XRange = (0, 1) }.ToSvg).Message);
        Assert.Contains("histogram 'h': counts must be finite and non-negative, got -2",
            Assert.Throws<ArgumentException>(() => new HistogramSeries("h", 0, 1, [1, -2])).Message);
        Assert.Contains("histogram 'h': range must be finite with high > low, got [1, 0]",
            Assert.Throws<ArgumentException>(() => new HistogramSeries("h", 1, 0, [1])).Message);
    }
}
