using System.Diagnostics;
using Sparta.Experiments;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Dashboard.Tests;

/// <summary>A run is on the dashboard while it trains, epoch by epoch, and then as the finished run it became.</summary>
public sealed class LiveRunTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>After each epoch, what the dashboard says of the run.</summary>
    private sealed class Watcher(RunningDashboard dashboard, string name) : Callback
    {
        public List<(int Epoch, bool Live, int Epochs, int Listed)> Seen { get; } = [];

        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            var run = dashboard.GetJsonAsync($"api/runs/{name}").GetAwaiter().GetResult();
            var listed = dashboard.GetJsonAsync("api/runs").GetAwaiter().GetResult().EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
            Seen.Add((epoch, run.GetProperty("live").GetBoolean(), run.GetProperty("history").GetProperty("epochs").GetArrayLength(), listed.GetProperty("epochs").GetInt32()));
        }
    }

    [Fact]
    public async Task ARunIsListedAsTrainingWithItsEpochsSoFarThenAsFinished()
    {
        var experiment = Experiment.Load(Path.Combine(Browser.NodeScript.RepositoryRoot(), "examples", "penguins-csv.yaml")).With("epochs", "3");
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        string path = Path.Combine(_temp.RunsDirectory, "penguins");
        var watcher = new Watcher(dashboard, "penguins");
        await Task.Run(() =>
        {
            using var live = LiveRun.Begin(path, experiment);
            var result = new ExperimentRunner(experiment).Run(TextWriter.Null, [live, watcher], verbose: false);
            live.Complete(result);
        });

        Assert.Equal([(1, true, 1, 1), (2, true, 2, 2), (3, true, 3, 3)], watcher.Seen);
        var finished = await dashboard.GetJsonAsync("api/runs/penguins");
        Assert.False(finished.GetProperty("live").GetBoolean());
        Assert.Equal(3, finished.GetProperty("history").GetProperty("epochs").GetArrayLength());
        Assert.True(finished.GetProperty("result").EnumerateObject().Any());
    }

    [Fact]
    public async Task AStagingDirectoryLeftByADeadProcessIsNotListed()
    {
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        await exited.WaitForExitAsync();
        string staging = Path.Combine(_temp.RunsDirectory, $".crashed{RunDirectory.PartialMarker}{exited.Id}");
        Directory.CreateDirectory(staging);
        var history = new History();
        history.Add(1, new Dictionary<string, double> { ["loss"] = 1 });
        File.WriteAllText(Path.Combine(staging, "history.json"), HistoryLogger.ToJson(history));
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        Assert.Empty((await dashboard.GetJsonAsync("api/runs")).EnumerateArray());
        using var response = await dashboard.Client.GetAsync("api/runs/crashed");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
