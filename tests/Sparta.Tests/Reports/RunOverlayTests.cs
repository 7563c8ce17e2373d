using Sparta.Reports;
using Sparta.Tests.Charts;
using Sparta.Training;

namespace Sparta.Tests.Reports;

public class RunOverlayTests
{
    private static History Run(double[] loss, double[] seconds, double[]? accuracy = null)
    {
        var history = new History();
        for (int e = 0; e < loss.Length; e++)
        {
            var logs = new Dictionary<string, double> { ["loss"] = loss[e], ["epoch_seconds"] = seconds[e] };
            if (accuracy is not null) logs["accuracy"] = accuracy[e];
            history.Add(e + 1, logs);
        }
        return history;
    }

    private static readonly History Fast = Run([1.0, 0.6, 0.5, 0.45], [0.5, 0.5, 0.5, 0.5], [0.5, 0.7, 0.8, 0.82]);
    private static readonly History Slow = Run([1.2, 0.7, 0.4], [2, 3, 4]);

    [Fact]
    public void EachRunIsOneLineOfItsOwnValuesByEpoch()
    {
        var svg = SvgProbe.Parse(RunOverlay.Chart([("fast", Fast), ("slow", Slow)], "loss").ToSvg());
        var lines = svg.Marks("line").ToDictionary(l => (string)l.Attribute("data-series")!);
        Assert.Equal(Fast["loss"], lines["fast"].Numbers("data-y"));
        Assert.Equal([1.0, 2, 3, 4], lines["fast"].Numbers("data-x"));
        Assert.Equal(Slow["loss"], lines["slow"].Numbers("data-y"));
        foreach (var line in lines.Values)
            foreach (var ((px, py), (x, y)) in line.PathVertices().Zip(line.Numbers("data-x").Zip(line.Numbers("data-y"))))
            {
                Assert.Equal(x, line.Area().DataX(px), line.Area().XTolerance(x));
                Assert.Equal(y, line.Area().DataY(py), line.Area().YTolerance(y));
            }
    }

    [Fact]
    public void ByTimeEachEpochSitsAtTheSecondsTrainedWhenItEnded()
    {
        var svg = SvgProbe.Parse(RunOverlay.Chart([("fast", Fast), ("slow", Slow)], "loss", x: OverlayAxis.Time).ToSvg());
        var lines = svg.Marks("line").ToDictionary(l => (string)l.Attribute("data-series")!);
        Assert.Equal([0.5, 1.0, 1.5, 2.0], lines["fast"].Numbers("data-x"));
        Assert.Equal([2.0, 5, 9], lines["slow"].Numbers("data-x"));
    }

    [Fact]
    public void SmoothedLinesCarryTheSmoothedValues()
    {
        var svg = SvgProbe.Parse(RunOverlay.Chart([("slow", Slow)], "loss", smoothing: 0.5).ToSvg());
        // By hand: the debiased average with weight 0.5 of 1.2, 0.7, 0.4.
        double[] expected = [1.2, (0.5 * 1.2 + 0.7) / 1.5, (0.25 * 1.2 + 0.5 * 0.7 + 0.4) / 1.75];
        var y = svg.Marks("line").Single().Numbers("data-y");
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y[i], 1e-12);
    }

    [Fact]
    public void ARunWithoutTheQuantityKeepsItsPlaceInTheLegendButDrawsNothing()
    {
        var chart = RunOverlay.Chart([("fast", Fast), ("slow", Slow)], "accuracy");
        Assert.Equal(["fast", "slow"], chart.Series.Select(s => s.Name));
        var svg = SvgProbe.Parse(chart.ToSvg());
        Assert.Equal(["fast"], svg.Marks("line").Select(l => (string)l.Attribute("data-series")!));
        Assert.Equal(["loss", "accuracy"], RunOverlay.Keys([Fast, Slow]));
    }
}
