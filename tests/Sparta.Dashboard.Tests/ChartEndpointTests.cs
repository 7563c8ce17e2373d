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

    /// <summary>A study of two parameters, x on a log range and a categorical one, each trial reporting three steps; one pruned, one failed.</summary>
    private Study TunedStudy()
    {
        var study = Study.Create("s", StudyDirection.Minimize, _temp.Storage, seed: 3);
        study.Optimize(trial =>
        {
            double x = trial.SuggestFloat("x", 1e-3, 1, log: true);
            string kind = trial.SuggestCategorical<string>("kind", ["a", "b"]);
            if (trial.Number == 4) throw new InvalidOperationException("failed on purpose");
            double value = Math.Abs(Math.Log10(x) + 1.5) + (kind == "b" ? 0.5 : 0);
            for (int step = 0; step < 3; step++)
            {
                trial.Report(value + 1.0 / (step + 1), step);
                if (trial.Number == 2 && step == 1) throw new TrialPruned("pruned on purpose");
            }
            return value;
        }, 8, catchExceptions: [typeof(InvalidOperationException)]);
        return study;
    }

    [Fact]
    public async Task AChartKeptForUnchangedTrialsIsDrawnAgainOnceATrialReportsOrFinishes()
    {
        var study = Study.Create("s", StudyDirection.Minimize, _temp.Storage, seed: 2);
        study.Tell(study.Ask(), 3);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        double[] History(XDocument svg) => Marks(svg, "point").Where(p => p.Attribute("data-trial") is not null).Select(p => D(p.Attribute("data-y")!.Value)).ToArray();
        double[][] Curves(XDocument svg) => Marks(svg, "line").Select(l => l.Attribute("data-y")!.Value.Split(' ').Select(D).ToArray()).ToArray();

        string first = (await GetSvgAsync(dashboard, "api/studies/s/history.svg")).ToString();
        Assert.Equal(new[] { 3.0 }, History(XDocument.Parse(first)));
        Assert.Equal(first, (await GetSvgAsync(dashboard, "api/studies/s/history.svg")).ToString());

        var running = study.Ask();
        running.Report(0.7, 0);
        Assert.Equal(new[] { new[] { 0.7 } }, Curves(await GetSvgAsync(dashboard, "api/studies/s/intermediate.svg")));
        running.Report(0.6, 1);
        Assert.Equal(new[] { new[] { 0.7, 0.6 } }, Curves(await GetSvgAsync(dashboard, "api/studies/s/intermediate.svg")));
        Assert.Equal(new[] { 3.0 }, History(await GetSvgAsync(dashboard, "api/studies/s/history.svg")));
        study.Tell(running, 0.5);
        Assert.Equal(new[] { 3.0, 0.5 }, History(await GetSvgAsync(dashboard, "api/studies/s/history.svg")));
    }

    [Fact]
    public async Task EveryChartOfTheStudyReportIsServedWithItsData()
    {
        var study = TunedStudy();
        var trials = _temp.Storage.GetAllTrials(study.StudyId);
        var complete = trials.Where(t => t.State == TrialState.Complete).ToArray();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        var parallel = await GetSvgAsync(dashboard, "api/studies/s/parallel.svg");
        var lines = Marks(parallel, "trial").ToArray();
        Assert.Equal(complete.Select(t => t.Number.ToString(CultureInfo.InvariantCulture)), lines.Select(l => l.Attribute("data-trial")!.Value));
        Assert.Equal(complete.Select(t => t.Value!.Value), lines.Select(l => D(l.Attribute("data-objective")!.Value)));
        Assert.Equal(complete.Select(t => (double)t.Params["x"]!), lines.Select(l => D(l.Attribute("data-values")!.Value.Split(' ')[0])));

        var slices = await GetSvgAsync(dashboard, "api/studies/s/slices.svg");
        var charts = slices.Root!.Elements(Svg + "svg").Where(e => e.Attribute("class")?.Value == "chart").ToArray();
        Assert.Equal(["Slice: x", "Slice: kind"], charts.Select(c => c.Attribute("data-title")!.Value));
        var xPoints = Marks(charts[0], "point").ToArray();
        Assert.Equal(complete.Select(t => (double)t.Params["x"]!), xPoints.Select(p => D(p.Attribute("data-x")!.Value)));
        Assert.Equal(complete.Select(t => t.Value!.Value), xPoints.Select(p => D(p.Attribute("data-y")!.Value)));
        Assert.Equal(complete.Select(t => (string)t.Params["kind"]! == "a" ? 0.0 : 1.0), Marks(charts[1], "point").Select(p => D(p.Attribute("data-x")!.Value)));

        // One line per trial that reported; the last report of each in the trial's state (the pruned one stopped at step 1).
        var intermediate = await GetSvgAsync(dashboard, "api/studies/s/intermediate.svg");
        var reported = trials.Where(t => t.IntermediateValues.Count > 0).OrderBy(t => t.Number).ToArray();
        Assert.Equal(reported.Select(t => t.IntermediateValues.OrderBy(v => v.Key).Select(v => v.Value).ToArray()),
            Marks(intermediate, "line").Select(l => l.Attribute("data-y")!.Value.Split(' ').Select(D).ToArray()));
        var last = Marks(intermediate, "point").ToDictionary(p => int.Parse(p.Attribute("data-trial")!.Value, CultureInfo.InvariantCulture));
        Assert.Equal("pruned", last[2].Attribute("data-state")!.Value);
        Assert.Equal(1, D(last[2].Attribute("data-x")!.Value));

        // Importance: a bar per parameter, shares of one whole, once the forest is fitted in the background.
        var importance = await GetSvgAsync(dashboard, "api/studies/s/importance.svg");
        for (var deadline = DateTime.UtcNow.AddMinutes(2); importance.Root!.Attribute("data-title")!.Value.Contains("being fitted") && DateTime.UtcNow < deadline; await Task.Delay(100))
            importance = await GetSvgAsync(dashboard, "api/studies/s/importance.svg");
        Assert.Equal("Parameter importance", importance.Root!.Attribute("data-title")!.Value);
        var bars = Marks(importance, "bar").ToDictionary(b => b.Attribute("data-category")!.Value, b => D(b.Attribute("data-value")!.Value));
        Assert.Equal(["kind", "x"], bars.Keys.Order());
        Assert.All(bars.Values, v => Assert.InRange(v, 0, 1));
        Assert.Equal(1, bars.Values.Sum(), 1e-9);
    }

    [Fact]
    public async Task AChartZoomedToARangeStatesThatRangeOnItsAxis()
    {
        TunedStudy();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var svg = await GetSvgAsync(dashboard, "api/studies/s/history.svg?x_min=1.5&x_max=5");
        var area = svg.Descendants().Single(e => e.Attribute("class")?.Value == "plot-area");
        Assert.Equal(1.5, D(area.Attribute("data-x-min")!.Value));
        Assert.Equal(5, D(area.Attribute("data-x-max")!.Value));
        Assert.Equal("hidden", area.Attribute("overflow")!.Value); // the marks outside the range are clipped

        // Zoomed on y too; an axis not named keeps fitting the data.
        var boxed = await GetSvgAsync(dashboard, "api/studies/s/history.svg?x_min=1.5&x_max=5&y_min=0.25&y_max=0.75");
        var boxedArea = boxed.Descendants().Single(e => e.Attribute("class")?.Value == "plot-area");
        Assert.Equal([1.5, 5, 0.25, 0.75], new[] { "x-min", "x-max", "y-min", "y-max" }.Select(a => D(boxedArea.Attribute($"data-{a}")!.Value)));
        var whole = (await GetSvgAsync(dashboard, "api/studies/s/history.svg")).Descendants().Single(e => e.Attribute("class")?.Value == "plot-area");
        var onlyY = (await GetSvgAsync(dashboard, "api/studies/s/history.svg?y_min=0.25&y_max=0.75")).Descendants().Single(e => e.Attribute("class")?.Value == "plot-area");
        Assert.Equal([D(whole.Attribute("data-x-min")!.Value), D(whole.Attribute("data-x-max")!.Value), 0.25, 0.75],
            new[] { "x-min", "x-max", "y-min", "y-max" }.Select(a => D(onlyY.Attribute($"data-{a}")!.Value)));
    }

    [Theory]
    [InlineData("api/studies/s/pie.svg", System.Net.HttpStatusCode.NotFound, "pie")]
    [InlineData("api/studies/nosuch/parallel.svg", System.Net.HttpStatusCode.NotFound, "nosuch")]
    [InlineData("api/studies/s/history.svg?x_min=a&x_max=2", System.Net.HttpStatusCode.BadRequest, "x_min")]
    [InlineData("api/studies/s/history.svg?y_min=1", System.Net.HttpStatusCode.BadRequest, "y_min and y_max go together")]
    [InlineData("api/studies/s/history.svg?y_min=2&y_max=1", System.Net.HttpStatusCode.BadRequest, "y_min (2) must be below y_max (1)")]
    public async Task AnUnknownChartStudyOrRangeIsNamed(string path, System.Net.HttpStatusCode status, string named)
    {
        TunedStudy();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        using var response = await dashboard.Client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AStudyOfTwoObjectivesHasItsParetoFrontDrawn()
    {
        // First objective minimized, second maximized: (3, 2) and (2, 2.5) are beaten by (2, 3); the front is trials 3, 0, 1.
        int id = _temp.Storage.CreateStudy("two", [StudyDirection.Minimize, StudyDirection.Maximize]);
        double[][] values = [[1, 1], [2, 3], [3, 2], [0.5, 0.2], [2, 2.5]];
        foreach (var v in values) _temp.Storage.SetTrialStateValues(_temp.Storage.CreateTrial(id), TrialState.Complete, v);
        var one = Study.Create("one", StudyDirection.Minimize, _temp.Storage);
        one.Tell(one.Ask(), 1);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        var svg = await GetSvgAsync(dashboard, "api/studies/two/pareto.svg");
        var points = Marks(svg, "point").ToLookup(p => p.Attribute("data-series")!.Value, p => (Trial: int.Parse(p.Attribute("data-trial")!.Value, CultureInfo.InvariantCulture),
            X: D(p.Attribute("data-x")!.Value), Y: D(p.Attribute("data-y")!.Value)));
        Assert.Equal([(3, 0.5, 0.2), (0, 1.0, 1.0), (1, 2.0, 3.0)], points["Pareto front"]);
        Assert.Equal([(2, 3.0, 2.0), (4, 2.0, 2.5)], points["dominated"]);

        using var single = await dashboard.Client.GetAsync("api/studies/one/pareto.svg");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, single.StatusCode);
        Assert.Contains("one objective", await single.Content.ReadAsStringAsync());
    }
}
