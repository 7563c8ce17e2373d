using Sparta.Charts;
using Sparta.Diagnostics;
using Sparta.Reports;
using Sparta.Tests.Charts;

namespace Sparta.Tests.Reports;

public class DiagnosticsChartsTests
{
    private static readonly RunDiagnostics Recorded = new(
        [
            new ActivationInspection(0, [Layer("dense", "tanh", 0.02, 0.61, 0.05, 0, [4, 1, 1, 4]), Layer("dense_1", "relu", 0.4, 0.7, 0, 0.1, [0, 0, 6, 4])]),
            new ActivationInspection(2, [Layer("dense", "tanh", -0.01, 0.83, 0.3, 0, [7, 1, 0, 2]), Layer("dense_1", "relu", 0.5, 0.9, 0, 0.25, [0, 0, 3, 7])]),
        ],
        [
            new UpdateEpoch(1, 5, [new ParameterUpdate("dense/kernel", 0.04, 1.2), new ParameterUpdate("dense/bias", 0.2, 0.3), new ParameterUpdate("dense_1/kernel", 2e-4, 0.9)]),
            new UpdateEpoch(2, 5, [new ParameterUpdate("dense/kernel", 0.006, 0.8), new ParameterUpdate("dense/bias", 0.1, 0.2), new ParameterUpdate("dense_1/kernel", 0.0, 0.1)]),
        ],
        []);

    private static LayerActivation Layer(string name, string activation, double mean, double std, double saturated, double dead, long[] counts) =>
        new(name, activation, mean, std, new Histogram(-1, 1, counts), saturated, dead);

    private static (double X, double Y)[] Drawn(Chart chart, string series)
    {
        var points = SvgProbe.Parse(chart.ToSvg()).Marks("point").Where(p => (string?)p.Attribute("data-series") == series).ToArray();
        foreach (var p in points)
        {
            Assert.Equal(p.Number("data-x"), p.Area().DataX(p.Number("cx")), p.Area().XTolerance(p.Number("data-x")));
            Assert.Equal(p.Number("data-y"), p.Area().DataY(p.Number("cy")), p.Area().YTolerance(p.Number("data-y")));
        }
        return points.Select(p => (p.Number("data-x"), p.Number("data-y"))).ToArray();
    }

    [Fact]
    public void MeanAndStdArePerLayerPerInspection()
    {
        var mean = DiagnosticsCharts.PerLayer(Recorded, "activation mean", l => l.Mean);
        Assert.Equal(new[] { (0.0, 0.02), (2.0, -0.01) }, Drawn(mean, "dense"));
        Assert.Equal(new[] { (0.0, 0.4), (2.0, 0.5) }, Drawn(mean, "dense_1"));
        Assert.Equal(new[] { (0.0, 0.61), (2.0, 0.83) }, Drawn(DiagnosticsCharts.PerLayer(Recorded, "activation std", l => l.Std), "dense"));
    }

    [Fact]
    public void SaturationIsDrawnForTanhAndDeathForRelu()
    {
        var chart = DiagnosticsCharts.SaturatedAndDead(Recorded);
        Assert.Equal(new[] { (0.0, 0.05), (2.0, 0.3) }, Drawn(chart, "dense saturated"));
        Assert.Equal(new[] { (0.0, 0.1), (2.0, 0.25) }, Drawn(chart, "dense_1 dead"));
        Assert.Empty(Drawn(chart, "dense dead"));
    }

    [Fact]
    public void HistogramsAreTheLastInspections()
    {
        var charts = DiagnosticsCharts.LastHistograms(Recorded);
        Assert.Equal(2, charts.Count);
        var bins = SvgProbe.Parse(charts[1].ToSvg()).Marks("bin").ToArray();
        Assert.Equal(new double[] { 0, 0, 3, 7 }, bins.Select(b => b.Number("data-y")));
        Assert.Equal(new[] { -1, -0.5, 0, 0.5 }, bins.Select(b => b.Number("data-x0")));
    }

    [Fact]
    public void UpdateRatiosOfKernelsAreOnALogAxisWithTheHealthyBand()
    {
        var chart = DiagnosticsCharts.UpdateRatios(Recorded);
        var svg = SvgProbe.Parse(chart.ToSvg());
        Assert.Equal(new[] { (1.0, 0.04), (2.0, 0.006) }, Drawn(chart, "dense/kernel"));
        Assert.Equal(new[] { (1.0, 2e-4) }, Drawn(chart, "dense_1/kernel")); // a ratio of 0 has no place on a log axis
        Assert.Empty(Drawn(chart, "dense/bias"));
        Assert.Equal("log", (string)svg.WithClass("plot-area").Single().Attribute("data-y-scale")!);
        var band = svg.WithClass("band").Single();
        Assert.Equal(UpdateRatioMonitor.HealthyLow, band.Number("data-y0"));
        Assert.Equal(UpdateRatioMonitor.HealthyHigh, band.Number("data-y1"));
        var area = svg.Marks("point").First().Area();
        Assert.Equal(UpdateRatioMonitor.HealthyHigh, area.DataY(band.Number("y")), area.YTolerance(UpdateRatioMonitor.HealthyHigh));
    }

    [Fact]
    public void NoRecordsGiveNoCharts() => Assert.Empty(DiagnosticsCharts.All(new RunDiagnostics([], [], [])));
}
