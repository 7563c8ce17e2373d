using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Dashboard.Tests;

/// <summary>Runs compared: their quantities, their experiment files side by side, and one overlaid chart per quantity.</summary>
public sealed class CompareApiTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    private History WriteRun(string name, double learningRate, double[] loss, double[] seconds) =>
        ComparedRuns.Write(_temp.RunsDirectory, name, learningRate, loss, seconds);

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static Dictionary<string, double[]> Lines(XDocument svg, string attribute) =>
        svg.Descendants().Where(e => e.Attribute("class")?.Value == "mark line")
            .ToDictionary(l => l.Attribute("data-series")!.Value, l => l.Attribute(attribute)!.Value.Split(' ').Select(D).ToArray());

    private async Task<XDocument> GetSvgAsync(RunningDashboard dashboard, string path)
    {
        using var response = await dashboard.Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheExperimentFilesAreSideBySideWithTheDifferingKeysFlagged()
    {
        WriteRun("a", 0.001, [1, 0.5, 0.4], [1, 1, 1]);
        WriteRun("b", 0.01, [1.2, 0.6], [2, 2]);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var comparison = await dashboard.GetJsonAsync("api/compare?runs=b,a");
        Assert.Equal(["b", "a"], comparison.GetProperty("runs").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["loss", "val_loss"], comparison.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        var rows = comparison.GetProperty("experiment").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(["name", "epochs", "optimizer.name", "optimizer.learning_rate"], rows.Keys);
        Assert.Equal(["epochs", "optimizer.learning_rate"], rows.Values.Where(r => r.GetProperty("differs").GetBoolean()).Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(["0.01", "0.001"], rows["optimizer.learning_rate"].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task ARunWhoseFilesChangedIsReadAgainByTheListTheComparisonAndItsCharts()
    {
        WriteRun("a", 0.001, [1, 0.5], [1, 1]);
        WriteRun("b", 0.01, [1.2, 0.6], [2, 2]);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        int Epochs(JsonElement runs, string name) => runs.EnumerateArray().Single(r => r.GetProperty("name").GetString() == name).GetProperty("epochs").GetInt32();
        Assert.Equal(2, Epochs(await dashboard.GetJsonAsync("api/runs"), "a"));
        var before = Lines(await GetSvgAsync(dashboard, "api/compare/loss.svg?runs=a,b"), "data-y")["a"];
        Assert.Equal(new[] { 1.0, 0.5 }, before);
        // Read twice unchanged, then rewritten as a training run rewrites its files after an epoch.
        Assert.Equal(2, Epochs(await dashboard.GetJsonAsync("api/runs"), "a"));
        var grown = WriteRun("a", 0.003, [1, 0.5, 0.25], [1, 1, 1]);
        Assert.Equal(3, Epochs(await dashboard.GetJsonAsync("api/runs"), "a"));
        Assert.Equal(grown["loss"], Lines(await GetSvgAsync(dashboard, "api/compare/loss.svg?runs=a,b"), "data-y")["a"]);
        var rows = (await dashboard.GetJsonAsync("api/compare?runs=a,b")).GetProperty("experiment").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(["0.003", "0.01"], rows["optimizer.learning_rate"].GetProperty("values").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task OneChartOverlaysTheRunsByEpochOrByTime()
    {
        var a = WriteRun("a", 0.001, [1, 0.5, 0.4], [1, 1, 1]);
        var b = WriteRun("b", 0.01, [1.2, 0.6], [2, 3]);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var byEpoch = await GetSvgAsync(dashboard, "api/compare/val_loss.svg?runs=a,b");
        Assert.Equal(a["val_loss"], Lines(byEpoch, "data-y")["a"]);
        Assert.Equal(b["val_loss"], Lines(byEpoch, "data-y")["b"]);
        Assert.Equal([1.0, 2], Lines(byEpoch, "data-x")["b"]);
        var byTime = await GetSvgAsync(dashboard, "api/compare/val_loss.svg?runs=a,b&x=time");
        Assert.Equal([1.0, 2, 3], Lines(byTime, "data-x")["a"]);
        Assert.Equal([2.0, 5], Lines(byTime, "data-x")["b"]);
    }

    [Fact]
    public async Task SmoothingAndZoomAreDrawnByTheServer()
    {
        WriteRun("a", 0.001, [1, 0.5, 0.4, 0.45], [1, 1, 1, 1]);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var svg = await GetSvgAsync(dashboard, "api/compare/loss.svg?runs=a&smoothing=0.5&x_min=2&x_max=3.5");
        // The debiased moving average with weight 0.5, written out by hand.
        double[] expected = [1, (0.5 * 1 + 0.5) / 1.5, (0.25 * 1 + 0.5 * 0.5 + 0.4) / 1.75, (0.125 * 1 + 0.25 * 0.5 + 0.5 * 0.4 + 0.45) / 1.875];
        var y = Lines(svg, "data-y")["a"];
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], y[i], 1e-12);
        var area = svg.Descendants().Single(e => e.Attribute("class")?.Value == "plot-area");
        Assert.Equal(2, D(area.Attribute("data-x-min")!.Value));
        Assert.Equal(3.5, D(area.Attribute("data-x-max")!.Value));
    }

    [Theory]
    [InlineData("api/compare", HttpStatusCode.BadRequest, "runs")]
    [InlineData("api/compare?runs=a,nosuch", HttpStatusCode.NotFound, "nosuch")]
    [InlineData("api/compare/loss.svg?runs=a&smoothing=1", HttpStatusCode.BadRequest, "smoothing")]
    [InlineData("api/compare/loss.svg?runs=a&smoothing=lots", HttpStatusCode.BadRequest, "lots")]
    [InlineData("api/compare/loss.svg?runs=a&x=steps", HttpStatusCode.BadRequest, "steps")]
    [InlineData("api/compare/loss.svg?runs=a&x_min=3&x_max=1", HttpStatusCode.BadRequest, "x_min")]
    [InlineData("api/compare/loss.svg?runs=a&x_min=1", HttpStatusCode.BadRequest, "x_max")]
    public async Task ABadRequestIsAnsweredWithOneLineNamingWhatIsWrong(string path, HttpStatusCode status, string named)
    {
        WriteRun("a", 0.001, [1, 0.5], [1, 1]);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        using var response = await dashboard.Client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        string error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(named, error);
        Assert.DoesNotContain('\n', error);
    }
}
