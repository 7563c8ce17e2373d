using System.Globalization;
using System.Text.Json;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests.Browser;

/// <summary>
/// Headless Chromium watches the dashboard of a study while a worker runs it: the trials table
/// fills in without a reload, the optimization history is drawn with one point per complete
/// trial, and a trial opens on its learning curve. What the browser saw is checked against the storage.
/// </summary>
public sealed class DashboardBrowserTests : IDisposable
{
    private const int Trials = 10, Steps = 4;
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// A few seconds of trials: each reports <see cref="Steps"/> values, one in four is pruned
    /// halfway; trial 0 names the run directory it "trained", as a training objective would.
    /// </summary>
    private double Objective(Trial trial)
    {
        if (trial.Number == 0) trial.SetUserAttr("run_dir", LinkedRun);
        double x = trial.SuggestFloat("x", -2, 2);
        double lr = trial.SuggestFloat("lr", 1e-4, 1, log: true);
        for (int step = 0; step < Steps; step++)
        {
            Thread.Sleep(70);
            trial.Report(x * x + Math.Abs(Math.Log10(lr)) / (step + 1), step);
            if (trial.Number % 4 == 3 && step == 1) throw new TrialPruned($"pruned at step {step}");
        }
        return x * x + Math.Abs(Math.Log10(lr)) / Steps;
    }

    private string LinkedRun => Path.Combine(_temp.RunsDirectory, "trial-0");

    /// <summary>The run of trial 0, written as <c>sparta train</c> writes its history.</summary>
    private History WriteLinkedRun()
    {
        var history = new History();
        for (int e = 1; e <= 4; e++) history.Add(e, new Dictionary<string, double> { ["loss"] = 1.0 / e, ["val_loss"] = 1.2 / e });
        Directory.CreateDirectory(LinkedRun);
        File.WriteAllText(Path.Combine(LinkedRun, "history.json"), HistoryLogger.ToJson(history));
        return history;
    }

    [Fact]
    public async Task TheStudyPageFillsInAsTrialsFinishAndOpensATrialsLearningCurve()
    {
        var runHistory = WriteLinkedRun();
        var study = Study.Create("watched", StudyDirection.Minimize, _temp.Storage, seed: 5);
        await using var dashboard = await RunningDashboard.StartAsync(_temp);
        Task? running = null;
        var seen = await NodeScript.RunAsync("dashboard.mjs", [dashboard.Server.Url.ToString(), study.Name, Trials.ToString(CultureInfo.InvariantCulture), NodeScript.Screenshots],
            line => { if (line == "opened") running = Task.Run(() => study.Optimize(Objective, Trials)); });
        Assert.NotNull(running);
        await running;

        var trials = _temp.Storage.GetAllTrials(study.StudyId);
        var counts = seen.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        Assert.True(counts.Length >= 2 && counts.Zip(counts.Skip(1)).All(p => p.First < p.Second), $"row counts seen: {string.Join(", ", counts)}");
        Assert.Equal(trials.Count, counts[^1]);

        // One history point per complete trial, at that trial's value; the best-so-far line is drawn too.
        var complete = trials.Where(t => t.State == TrialState.Complete).ToArray();
        Assert.True(complete.Length >= Trials / 2, $"only {complete.Length} complete trials");
        var points = seen.GetProperty("history").EnumerateArray().Select(m => m.GetProperty("data")).Where(d => d.TryGetProperty("trial", out _)).ToArray();
        Assert.Equal(complete.Select(t => t.Number), points.Select(p => int.Parse(p.GetProperty("trial").GetString()!, CultureInfo.InvariantCulture)));
        foreach (var (trial, point) in complete.Zip(points))
            Assert.Equal(trial.Value!.Value, double.Parse(point.GetProperty("y").GetString()!, CultureInfo.InvariantCulture), 1e-9);

        // The opened trial's learning curve: one mark per reported step, at the reported value.
        var opened = trials.Single(t => t.Number == seen.GetProperty("opened").GetInt32());
        var curve = seen.GetProperty("curve").EnumerateArray().Where(m => m.GetProperty("kind").GetString() == "mark point").Select(m => m.GetProperty("data")).ToArray();
        Assert.Equal(opened.IntermediateValues.OrderBy(v => v.Key).Select(v => (double)v.Key), curve.Select(c => double.Parse(c.GetProperty("x").GetString()!, CultureInfo.InvariantCulture)));
        foreach (var (step, mark) in opened.IntermediateValues.OrderBy(v => v.Key).Zip(curve))
            Assert.Equal(step.Value, double.Parse(mark.GetProperty("y").GetString()!, CultureInfo.InvariantCulture), 1e-9);

        // The home page listed the run; the opened trial (trial 0) showed that run's learning curves.
        Assert.Equal(["trial-0"], seen.GetProperty("runs").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(0, opened.Number);
        var run = seen.GetProperty("run");
        Assert.Equal("trial-0", run.GetProperty("name").GetString());
        var lossLines = run.GetProperty("marks").EnumerateArray().Where(m => m.GetProperty("kind").GetString() == "mark line")
            .ToDictionary(m => m.GetProperty("data").GetProperty("series").GetString()!, m => m.GetProperty("data").GetProperty("y").GetString()!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
        Assert.Equal(runHistory["loss"], lossLines["training"]);
        Assert.Equal(runHistory["val_loss"], lossLines["validation"]);

        Assert.True(File.Exists(Path.Combine(NodeScript.Screenshots, "dashboard-study.png")));
        Assert.True(File.Exists(Path.Combine(NodeScript.Screenshots, "dashboard-trial.png")));
    }
}
