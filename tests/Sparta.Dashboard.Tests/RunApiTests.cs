using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests;

/// <summary>The run endpoints read the files <c>sparta train</c> writes, and nothing outside the runs directory.</summary>
public sealed class RunApiTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A run directory as RunDirectory writes it: history.json from the History's own writer, result.json, experiment.yaml.</summary>
    private History WriteRun(string name, int epochs)
    {
        var history = new History();
        for (int e = 1; e <= epochs; e++)
            history.Add(e, new Dictionary<string, double> { ["loss"] = 1.0 / e, ["val_loss"] = e == 2 ? double.NaN : 1.5 / e, ["accuracy"] = 0.5 + 0.1 * e });
        string directory = Path.Combine(_temp.RunsDirectory, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "history.json"), HistoryLogger.ToJson(history));
        File.WriteAllText(Path.Combine(directory, "result.json"), JsonSerializer.Serialize(new Dictionary<string, double> { ["test_accuracy"] = 0.875, ["epochs"] = epochs }));
        File.WriteAllText(Path.Combine(directory, "experiment.yaml"), $"name: {name}\nepochs: {epochs}\n");
        return history;
    }

    [Fact]
    public async Task RunListHoldsEveryFinishedRunWithItsEpochsAndResult()
    {
        WriteRun("mlp-seed1", 3);
        WriteRun("cnn-seed2", 2);
        Directory.CreateDirectory(Path.Combine(_temp.RunsDirectory, ".mlp-seed3.partial-77")); // being written
        Directory.CreateDirectory(Path.Combine(_temp.RunsDirectory, "empty"));
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var runs = (await dashboard.GetJsonAsync("api/runs")).EnumerateArray().ToArray();
        Assert.Equal(["cnn-seed2", "mlp-seed1"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([2, 3], runs.Select(r => r.GetProperty("epochs").GetInt32()));
        Assert.Equal(0.875, runs[1].GetProperty("result").GetProperty("test_accuracy").GetDouble());
    }

    [Fact]
    public async Task RunDetailGivesTheHistoryAsWrittenAndTheExperiment()
    {
        var history = WriteRun("mlp-seed1", 4);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var run = await dashboard.GetJsonAsync("api/runs/mlp-seed1");
        var served = run.GetProperty("history");
        Assert.Equal(history.Epochs.Select(e => (double)e), served.GetProperty("epochs").EnumerateArray().Select(v => v.GetDouble()));
        foreach (string key in history.Keys)
            Assert.Equal(history[key], served.GetProperty(key).EnumerateArray()
                .Select(v => v.ValueKind == JsonValueKind.String ? double.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : v.GetDouble()));
        Assert.Equal("name: mlp-seed1\nepochs: 4\n", run.GetProperty("experiment").GetString());
    }

    [Theory]
    [InlineData("api/runs/..%2Fstudies.db")]
    [InlineData("api/runs/..")]
    [InlineData("api/runs/empty")]
    [InlineData("api/runs/nosuch/history.svg")]
    public async Task ANameOutsideTheListedRunsIsNotFound(string path)
    {
        WriteRun("mlp-seed1", 2);
        Directory.CreateDirectory(Path.Combine(_temp.RunsDirectory, "empty"));
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        using var response = await dashboard.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ATrialNamingItsRunDirectoryLinksToThatRun()
    {
        WriteRun("trial-3", 2);
        var study = Study.Create("s", StudyDirection.Minimize, _temp.Storage);
        var linked = study.Ask();
        linked.SetUserAttr("run_dir", Path.Combine(_temp.RunsDirectory, "trial-3"));
        study.Tell(linked, 1);
        var outside = study.Ask();
        outside.SetUserAttr("run_dir", _temp.DirectoryPath);
        study.Tell(outside, 2);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        Assert.Equal("trial-3", (await dashboard.GetJsonAsync("api/studies/s/trials/0")).GetProperty("run").GetString());
        Assert.Equal(JsonValueKind.Null, (await dashboard.GetJsonAsync("api/studies/s/trials/1")).GetProperty("run").ValueKind);
    }

    [Fact]
    public async Task RunDetailCarriesTheDoctorsReadingOfTheGap()
    {
        // Validation loss bottoms out at epoch 2 and rises 50% while the training loss keeps falling: overfitting.
        var history = new History();
        double[] loss = [1.0, 0.6, 0.4, 0.3], val = [1.0, 0.8, 1.0, 1.2];
        for (int e = 0; e < loss.Length; e++) history.Add(e + 1, new Dictionary<string, double> { ["loss"] = loss[e], ["val_loss"] = val[e] });
        string directory = Path.Combine(_temp.RunsDirectory, "overfit");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "history.json"), HistoryLogger.ToJson(history));
        WriteRun("healthy", 3);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        var findings = (await dashboard.GetJsonAsync("api/runs/overfit")).GetProperty("findings").EnumerateArray().Select(f => f.GetString()!).ToArray();
        var finding = Assert.Single(findings);
        Assert.StartsWith("overfitting: validation loss rose from 0.8 at epoch 2 to 1.2", finding);
        Assert.Empty((await dashboard.GetJsonAsync("api/runs/healthy")).GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task ARunOf42200BatchesIsDrawnBoundedWithEveryPixelColumnsHighestAndLowestLoss()
    {
        WriteRun("long", 100);
        // learning_curve.csv as a run of 100 epochs of 422 batches writes it (step,epoch,loss), spikes included.
        var random = new Random(5);
        var losses = Enumerable.Range(1, 42_200).Select(step => 2.0 * Math.Exp(-step / 9000.0) + 0.2 * random.NextDouble()).ToArray();
        losses[777] = 12.5;
        losses[33_333] = -0.5;
        File.WriteAllLines(Path.Combine(_temp.RunsDirectory, "long", "learning_curve.csv"),
            ["step,epoch,loss", .. losses.Select((loss, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1},{i / 422 + 1},{loss:R}"))]);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        using var response = await dashboard.Client.GetAsync("api/runs/long/history.svg");
        Assert.True(response.IsSuccessStatusCode, $"history.svg: {(int)response.StatusCode}");
        var chart = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants()
            .Single(e => e.Attribute("class")?.Value == "chart" && e.Attribute("data-title")?.Value == "loss per batch");
        var line = chart.Descendants().Single(e => e.Attribute("class")?.Value == "mark line");
        double[] steps = Numbers(line, "data-x"), drawn = Numbers(line, "data-y");
        Assert.Equal(losses.Length, double.Parse(line.Attribute("data-count")!.Value, CultureInfo.InvariantCulture));
        Assert.True(steps.Length <= 4 * 700, $"{steps.Length} points drawn of {losses.Length}");
        for (int i = 0; i < steps.Length; i++) Assert.Equal(losses[(int)steps[i] - 1], drawn[i]);
        Assert.Contains(12.5, drawn);
        Assert.Contains(-0.5, drawn);
        Assert.Equal(1, steps[0]);
        Assert.Equal(losses.Length, steps[^1]);
    }

    private static double[] Numbers(XElement mark, string attribute) =>
        mark.Attribute(attribute)!.Value.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
