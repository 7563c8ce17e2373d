using System.Globalization;
using System.Text.Json;
using Sparta.Experiments;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests.Browser;

/// <summary>
/// Headless Chromium uses the dashboard with the mouse: a run's page grows while it trains, runs are
/// compared with smoothing, a time axis, series toggled, a hovered value and a zoomed range, and a
/// study's trials are sorted and filtered. What the browser saw is checked against the data.
/// </summary>
public sealed class DashboardInteractionTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    private History WriteRun(string name, double learningRate, double[] loss, double[] seconds) =>
        ComparedRuns.Write(_temp.RunsDirectory, name, learningRate, loss, seconds);

    private Study WriteStudy()
    {
        var study = Study.Create("tuned", StudyDirection.Minimize, _temp.Storage, seed: 11);
        study.Optimize(trial =>
        {
            double x = trial.SuggestFloat("x", 1e-3, 1, log: true);
            double value = Math.Abs(Math.Log10(x) + 1.5);
            for (int step = 0; step < 3; step++)
            {
                trial.Report(value + 1.0 / (step + 1), step);
                if (trial.Number % 5 == 4 && step == 1) throw new TrialPruned("pruned");
            }
            return value;
        }, 30);
        return study;
    }

    /// <summary>A study of two objectives (loss minimized, accuracy maximized) named as a training objective names them.</summary>
    private double[][] WriteTwoObjectives()
    {
        int id = _temp.Storage.CreateStudy("two", [StudyDirection.Minimize, StudyDirection.Maximize]);
        _temp.Storage.SetStudySystemAttr(id, StudySystemAttrs.MetricNames, "[\"val_loss\", \"val_accuracy\"]");
        double[][] values = [[0.9, 0.70], [0.5, 0.80], [0.6, 0.75], [0.3, 0.72], [0.4, 0.85]];
        foreach (var v in values) _temp.Storage.SetTrialStateValues(_temp.Storage.CreateTrial(id), TrialState.Complete, v);
        return values;
    }

    /// <summary>Slows training down to a few epochs a second so the page can be seen following it, until told to stop.</summary>
    private sealed class Pace(CancellationToken done) : Callback
    {
        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
        {
            if (done.IsCancellationRequested) trainer.Stop("the browser has seen enough");
            else Thread.Sleep(300);
        }
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[] Smoothed(IReadOnlyList<double> values, double weight) =>
        values.Select((_, n) => Enumerable.Range(0, n + 1).Sum(i => Math.Pow(weight, n - i) * values[i]) / Enumerable.Range(0, n + 1).Sum(i => Math.Pow(weight, n - i))).ToArray();

    [Fact]
    public async Task ThePageFollowsALiveRunComparesRunsWithTheMouseAndSortsAndFiltersTrials()
    {
        var a = WriteRun("a", 0.001, [2.0, 1.2, 0.9, 0.7, 0.65, 0.6], [1, 1, 1, 1, 1, 1]);
        var b = WriteRun("b", 0.01, [1.5, 0.5, 0.45, 0.5, 0.4, 0.38], [2, 2, 2, 2, 2, 2]);
        var study = WriteStudy();
        var trials = _temp.Storage.GetAllTrials(study.StudyId);
        var twoObjectives = WriteTwoObjectives();
        await using var dashboard = await RunningDashboard.StartAsync(_temp);

        var experiment = Experiment.Load(Path.Combine(NodeScript.RepositoryRoot(), "examples", "penguins-csv.yaml")).With("epochs", "200");
        using var done = new CancellationTokenSource();
        var training = Task.Run(() =>
        {
            using var live = LiveRun.Begin(Path.Combine(_temp.RunsDirectory, "penguins"), experiment);
            live.Complete(new ExperimentRunner(experiment).Run(TextWriter.Null, [live, new Pace(done.Token)], verbose: false));
        });
        JsonElement seen;
        try
        {
            seen = await NodeScript.RunAsync("dashboard-interact.mjs", [dashboard.Server.Url.ToString(), "penguins", study.Name, "two", NodeScript.Screenshots]);
        }
        finally
        {
            done.Cancel();
            await training;
        }

        // The live run: its loss curve grew at least twice while the page stayed open.
        var epochs = seen.GetProperty("epochsSeen").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.True(epochs.Length >= 3 && epochs.Zip(epochs.Skip(1)).All(p => p.First < p.Second), $"points seen: {string.Join(", ", epochs)}");
        Assert.StartsWith("training", seen.GetProperty("liveState").GetString());

        // Runs compared: a chart per quantity, each run's own values, then smoothed as TensorBoard does, then by time.
        Assert.Equal(["loss", "val_loss"], seen.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["optimizer.learning_rate"], seen.GetProperty("differing").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(a["loss"], Doubles(seen.GetProperty("raw").GetProperty("a").GetProperty("y")));
        Assert.Equal(b["loss"], Doubles(seen.GetProperty("raw").GetProperty("b").GetProperty("y")));
        foreach (var (expected, actual) in Smoothed(a["loss"], 0.6).Zip(Doubles(seen.GetProperty("smoothed").GetProperty("a").GetProperty("y"))))
            Assert.Equal(expected, actual, 1e-9);
        Assert.Equal([2.0, 4, 6, 8, 10, 12], Doubles(seen.GetProperty("byTime").GetProperty("b").GetProperty("x")));

        // Run a hidden by its legend entry, b still drawn; both drawn once a is toggled back.
        Assert.False(seen.GetProperty("hidden").GetProperty("a").GetProperty("shown").GetBoolean());
        Assert.True(seen.GetProperty("hidden").GetProperty("b").GetProperty("shown").GetBoolean());
        Assert.True(seen.GetProperty("shownAgain").GetProperty("a").GetProperty("shown").GetBoolean());

        // The hovered point is b's second epoch.
        var tooltip = seen.GetProperty("tooltip");
        Assert.Equal("b", tooltip.GetProperty("series").GetString());
        Assert.Equal(2, tooltip.GetProperty("x").GetDouble());
        Assert.Equal(b["loss"][1], tooltip.GetProperty("y").GetDouble());

        // Zoomed to the middle half of the x axis, then back to the whole of it.
        var before = Doubles(seen.GetProperty("before"));
        var zoomed = Doubles(seen.GetProperty("zoomed"));
        double span = before[1] - before[0];
        Assert.Equal(before[0] + 0.25 * span, zoomed[0], 0.02 * span);
        Assert.Equal(before[0] + 0.75 * span, zoomed[1], 0.02 * span);
        Assert.Equal(before, Doubles(seen.GetProperty("unzoomed")));
        Assert.True(seen.GetProperty("resetShown").GetBoolean());

        // A box zooms both axes to what it covered (y from a quarter to three quarters of the height), "reset zoom" undoes it.
        var beforeBox = Doubles(seen.GetProperty("beforeBox"));
        var boxed = Doubles(seen.GetProperty("boxed"));
        double ySpan = beforeBox[3] - beforeBox[2];
        Assert.Equal(beforeBox[0] + 0.2 * span, boxed[0], 0.02 * span);
        Assert.Equal(beforeBox[0] + 0.6 * span, boxed[1], 0.02 * span);
        Assert.Equal(beforeBox[2] + 0.25 * ySpan, boxed[2], 0.02 * ySpan);
        Assert.Equal(beforeBox[2] + 0.75 * ySpan, boxed[3], 0.02 * ySpan);
        Assert.Equal(beforeBox, Doubles(seen.GetProperty("reset")));
        Assert.True(seen.GetProperty("resetHidden").GetBoolean());

        // The study: every chart drawn; the trials sorted by value, filtered by state and by x.
        foreach (var chart in seen.GetProperty("chartMarks").EnumerateObject()) Assert.True(chart.Value.GetInt32() > 0, $"{chart.Name}: no mark");
        // No mark carries a <title>; hovering the importance bar or a trial's line says what it is, as the storage has it.
        Assert.Equal(0, seen.GetProperty("titles").GetInt32());
        Assert.Equal("x: 1", seen.GetProperty("barTip").GetProperty("text").GetString());
        var lineTip = seen.GetProperty("lineTip");
        int hovered = int.Parse(lineTip.GetProperty("hovered").GetProperty("trial").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal($"trial {hovered}: {trials.Single(t => t.Number == hovered).Value!.Value.ToString("G6", CultureInfo.InvariantCulture)}", lineTip.GetProperty("text").GetString());
        // The study did not change while the page polled: each poll was answered "not modified".
        Assert.All(seen.GetProperty("polls").EnumerateArray(), status => Assert.Equal(304, status.GetInt32()));
        int[] Numbers(string key) => seen.GetProperty(key).EnumerateArray().Select(r => r.GetProperty("number").GetInt32()).ToArray();
        // A pruned trial keeps the value it last reported, as in Optuna: it sorts among the others; a trial without a value goes last.
        var valued = trials.Where(t => t.Values is { Count: > 0 }).ToArray();
        var unvalued = trials.Where(t => t.Values is not { Count: > 0 }).Select(t => t.Number).Order().ToArray();
        Assert.Equal(valued.OrderBy(t => t.Values![0]).ThenBy(t => t.Number).Select(t => t.Number).Concat(unvalued), Numbers("ascending"));
        Assert.Equal(valued.OrderByDescending(t => t.Values![0]).ThenBy(t => t.Number).Select(t => t.Number).Concat(unvalued), Numbers("descending"));
        Assert.Equal(trials.Where(t => t.State != TrialState.Complete).Select(t => t.Number).Order(), Numbers("withoutComplete").Order());
        Assert.Contains(TrialState.Pruned, trials.Select(t => t.State));
        Assert.Equal(trials.Where(t => (double)t.Params["x"]! is >= 0.01 and <= 0.1).Select(t => t.Number).Order(), Numbers("inRange").Order());

        // Two objectives: a column for each, named as the study names them; the front is the trials no other beats on both.
        var columns = seen.GetProperty("paretoColumns").EnumerateArray().Select(c => (c.GetProperty("key").GetString(), c.GetProperty("title").GetString()!.TrimEnd(' ', '▲', '▼'))).ToArray();
        Assert.Equal([("value:0", "val_loss"), ("value:1", "val_accuracy")], columns.Where(c => c.Item1!.StartsWith("value", StringComparison.Ordinal)));
        bool Dominated(double[] v) => twoObjectives.Any(o => o != v && o[0] <= v[0] && o[1] >= v[1] && (o[0] < v[0] || o[1] > v[1]));
        Assert.Equal(Enumerable.Range(0, twoObjectives.Length).Where(i => !Dominated(twoObjectives[i])).Order(), seen.GetProperty("front").EnumerateArray().Select(n => n.GetInt32()).Order());
        Assert.Equal(Enumerable.Range(0, twoObjectives.Length).OrderBy(i => twoObjectives[i][1]), Numbers("bySecond"));
        Assert.True(seen.GetProperty("oneObjectiveChartsHidden").GetBoolean());
    }
}
