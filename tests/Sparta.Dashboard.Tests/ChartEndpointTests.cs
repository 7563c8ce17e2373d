using System.Globalization;
using System.Xml.Linq;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests;

/// <summary>The SVG charts the page swaps in show the storage's data: read back from the marks' data attributes.</summary>
public sealed class ChartEndpointTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<XDocument> GetSvgAsync(RunningDashboard dashboard, string path)
    {
        using var response = await dashboard.Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<XElement> Marks(XContainer svg, string kind) =>
        svg.Descendants().Where(e => (e.Attribute("class")?.Value.Split(' ') ?? []) is var c && c.Contains("mark") && c.Contains(kind));

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task HistoryChartHasAPointPerCompleteTrialAndTheRunningBest()
    {
        var study = Study.Create("s", StudyDirection.Minimize, _temp.Storage, seed: 2);
        double[] values = [3, 1.5, 2, 0.5, 4];
        foreach (double v in values) study.Tell(study.Ask(), v);
        study.Tell(study.Ask(), TrialState.Pruned, 0.1); // not in the history, though lower
        study.Tell(study.Ask(), TrialState.Fail);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var svg = await GetSvgAsync(dashboard, "api/studies/s/history.svg");

        var complete = _temp.Storage.GetAllTrials(study.StudyId).Where(t => t.State == TrialState.Complete).ToArray();
        var points = Marks(svg, "point").Where(p => p.Attribute("data-trial") is not null).ToArray();
        Assert.Equal(complete.Select(t => t.Number.ToString(CultureInfo.InvariantCulture)), points.Select(p => p.Attribute("data-trial")!.Value));
        Assert.Equal(complete.Select(t => t.Value!.Value), points.Select(p => D(p.Attribute("data-y")!.Value)));

        var best = Assert.Single(Marks(svg, "line"));
        double runningMin = double.PositiveInfinity;
        Assert.Equal(complete.Select(t => runningMin = Math.Min(runningMin, t.Value!.Value)), best.Attribute("data-y")!.Value.Split(' ').Select(D));
    }

    [Fact]
    public async Task TrialCurveShowsTheFiniteReportedValuesInStepOrder()
    {
        var study = Study.Create("s", StudyDirection.Minimize, _temp.Storage);
        var trial = study.Ask();
        foreach (var (step, value) in new[] { (2, 0.4), (0, 0.9), (1, double.NaN), (3, 0.3) }) trial.Report(value, step);
        study.Tell(trial, 0.3);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var svg = await GetSvgAsync(dashboard, "api/studies/s/trials/0/curve.svg");

        var stored = _temp.Storage.GetAllTrials(study.StudyId)[0].IntermediateValues.Where(v => double.IsFinite(v.Value)).OrderBy(v => v.Key).ToArray();
        var points = Marks(svg, "point").ToArray();
        Assert.Equal(stored.Select(v => (double)v.Key), points.Select(p => D(p.Attribute("data-x")!.Value)));
        Assert.Equal(stored.Select(v => v.Value), points.Select(p => D(p.Attribute("data-y")!.Value)));
    }

    [Fact]
    public async Task RunChartHasOneChartPerQuantityWithItsTrainingAndValidationCurves()
    {
        var history = new History();
        for (int e = 1; e <= 3; e++)
            history.Add(e, new Dictionary<string, double> { ["loss"] = 2.0 / e, ["accuracy"] = 0.2 * e, ["val_loss"] = 2.5 / e, ["val_accuracy"] = 0.15 * e, ["epoch_seconds"] = 1 });
        Directory.CreateDirectory(Path.Combine(_temp.RunsDirectory, "r"));
        File.WriteAllText(Path.Combine(_temp.RunsDirectory, "r", "history.json"), HistoryLogger.ToJson(history));
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var svg = await GetSvgAsync(dashboard, "api/runs/r/history.svg");

        var charts = svg.Root!.Elements(Svg + "svg").Where(e => e.Attribute("class")?.Value == "chart").ToArray();
        Assert.Equal(["loss", "accuracy"], charts.Select(c => c.Attribute("data-title")!.Value));
        foreach (var chart in charts)
        {
            string key = chart.Attribute("data-title")!.Value;
            var lines = Marks(chart, "line").ToDictionary(l => l.Attribute("data-series")!.Value, l => l.Attribute("data-y")!.Value.Split(' ').Select(D).ToArray());
            Assert.Equal(history[key], lines["training"]);
            Assert.Equal(history["val_" + key], lines["validation"]);
        }
    }
}
