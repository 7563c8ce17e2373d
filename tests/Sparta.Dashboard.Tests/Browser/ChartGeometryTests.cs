using System.Text.Json;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests.Browser;

/// <summary>
/// Chromium reads the mouse on a study's charts where they are drawn: the page maps the pointer
/// through each plot area's own rectangle, not through its bounding box (which grows with the axis
/// names above parallel coordinates and shrinks to the points drawn), so a hovered point is the
/// one under the pointer and a dragged box zooms to exactly the values its corners stand for.
/// </summary>
public sealed class ChartGeometryTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    private Study WriteStudy()
    {
        var study = Study.Create("geometry", StudyDirection.Minimize, _temp.Storage, seed: 5);
        study.Optimize(trial =>
        {
            double x = trial.SuggestFloat("x", 1e-3, 1, log: true);
            int units = trial.SuggestInt("units", 8, 256);
            double value = Math.Abs(Math.Log10(x) + 1.5) + 10.0 / units;
            for (int step = 0; step < 3; step++) trial.Report(value + 1.0 / (step + 1), step);
            return value;
        }, 40);
        return study;
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[] Box(JsonElement box) => new[] { "left", "top", "width", "height" }.Select(k => box.GetProperty(k).GetDouble()).ToArray();

    [Fact]
    public async Task HoverAndZoomReadThePlotAreasOwnRectangle()
    {
        var study = WriteStudy();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        var seen = await NodeScript.RunAsync("chart-geometry.mjs", [dashboard.Server.Url.ToString(), study.Name]);

        // Every plot area (the slices have one per parameter): the rectangle the script uses is the one its attributes give.
        var areas = seen.GetProperty("areas").EnumerateArray().ToArray();
        Assert.Equal(["history-chart", "importance-chart", "intermediate-chart", "parallel-chart", "slices-chart"],
            areas.Select(a => a.GetProperty("chart").GetString()).Distinct().Order(StringComparer.Ordinal));
        foreach (var area in areas)
            foreach (var (own, used) in Box(area.GetProperty("own")).Zip(Box(area.GetProperty("used"))))
                Assert.Equal(own, used, 0.01);
        // The case the bounding box gets wrong is there: parallel coordinates' axis names stick out above its plot.
        var parallel = areas.Single(a => a.GetProperty("chart").GetString() == "parallel-chart");
        Assert.True(Box(parallel.GetProperty("own"))[1] - Box(parallel.GetProperty("bounds"))[1] > 5, parallel.ToString());

        // The point under the pointer is the one the tooltip names.
        var point = seen.GetProperty("point");
        var tooltip = seen.GetProperty("tooltip");
        Assert.Equal(point.GetProperty("x").GetDouble(), tooltip.GetProperty("x").GetDouble());
        Assert.Equal(point.GetProperty("y").GetDouble(), tooltip.GetProperty("y").GetDouble());
        Assert.StartsWith($"trial {point.GetProperty("trial").GetString()}: ", tooltip.GetProperty("text").GetString());

        // The box zoomed both axes to the values at its corners, to a thousandth of the span (a bounding box a few pixels off misses by a percent or more).
        var before = seen.GetProperty("before");
        foreach (string axis in new[] { "x", "y" })
        {
            var span = Doubles(before.GetProperty(axis));
            var expected = Doubles(seen.GetProperty("expected").GetProperty(axis));
            var zoomed = Doubles(seen.GetProperty("zoomed").GetProperty(axis));
            double tolerance = 1e-3 * (span[1] - span[0]);
            Assert.Equal(expected[0], zoomed[0], tolerance);
            Assert.Equal(expected[1], zoomed[1], tolerance);
        }
    }
}
