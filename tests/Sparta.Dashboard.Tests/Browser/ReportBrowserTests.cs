using System.Globalization;
using System.Text.Json;
using Sparta.Cli;
using Sparta.Training;
using Sparta.Training.Callbacks;
using Sparta.Tuning;

namespace Sparta.Dashboard.Tests.Browser;

/// <summary>
/// The reports that <c>sparta report</c> writes, opened from disk in headless Chromium: every
/// chart is drawn (marks laid out, inside their plot areas, no network) and shows the data the
/// report was made from, read back from the marks.
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    private readonly TempStorage _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Mark(string Kind, Dictionary<string, string> Data)
    {
        public double[] Numbers(string key) => Data[key].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    private sealed record ChartSeen(string? Section, string Title, Mark[] Marks)
    {
        public Mark[] OfKind(string kind) => Marks.Where(m => m.Kind.Split(' ').Contains(kind)).ToArray();
    }

    private static async Task<ChartSeen[]> OpenAsync(string report, string screenshot)
    {
        var seen = await NodeScript.RunAsync("check-report.mjs", [report, Path.Combine(NodeScript.Screenshots, screenshot)]);
        return seen.GetProperty("charts").EnumerateArray().Select(c => new ChartSeen(
            c.GetProperty("section").GetString(), c.GetProperty("title").GetString()!,
            c.GetProperty("marks").EnumerateArray().Select(m => new Mark(m.GetProperty("kind").GetString()!,
                m.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))).ToArray())).ToArray();
    }

    private static void Report(params string[] words)
    {
        var error = new StringWriter();
        Assert.True(CommandLine.Run(["report", .. words], new StringWriter(), error) == 0, error.ToString());
    }

    [Fact]
    public async Task ARunReportDrawsEachLearningCurveWithTheRunsValues()
    {
        var history = new History();
        for (int e = 1; e <= 5; e++)
            history.Add(e, new Dictionary<string, double> { ["loss"] = 1.2 / e, ["accuracy"] = 0.5 + 0.08 * e, ["val_loss"] = 1.4 / e + 0.01 * e, ["val_accuracy"] = 0.45 + 0.07 * e });
        var batches = Enumerable.Range(1, 20).Select(s => (Step: s, Epoch: (s - 1) / 4 + 1, Loss: 1.5 / Math.Sqrt(s))).ToArray();
        string run = Path.Combine(_temp.RunsDirectory, "mlp-seed1");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "history.json"), HistoryLogger.ToJson(history));
        File.WriteAllText(Path.Combine(run, "learning_curve.csv"), "step,epoch,loss\n" + string.Concat(batches.Select(b => FormattableString.Invariant($"{b.Step},{b.Epoch},{b.Loss:R}\n"))));
        File.WriteAllText(Path.Combine(run, "result.json"), """{"test_accuracy": 0.91, "epochs": 5}""");
        File.WriteAllText(Path.Combine(run, "experiment.yaml"), "name: mlp\nepochs: 5\n");
        Report(run);

        var charts = await OpenAsync(Path.Combine(run, "report.html"), "run-report.png");
        Assert.Equal(["loss", "accuracy", "loss per batch"], charts.Where(c => c.Section == "curves").Select(c => c.Title));
        foreach (string key in new[] { "loss", "accuracy" })
        {
            var lines = charts.Single(c => c.Title == key).OfKind("line").ToDictionary(l => l.Data["series"]);
            Assert.Equal(history.Epochs.Select(e => (double)e), lines["training"].Numbers("x"));
            Assert.Equal(history[key], lines["training"].Numbers("y"));
            Assert.Equal(history["val_" + key], lines["validation"].Numbers("y"));
        }
        var perBatch = Assert.Single(charts.Single(c => c.Title == "loss per batch").OfKind("line"));
        Assert.Equal(batches.Select(b => b.Loss), perBatch.Numbers("y"));
    }

    [Fact]
    public async Task AStudyReportDrawsHistoryIntermediateValuesParallelCoordinatesSlicesAndImportance()
    {
        var study = Study.Create("report", StudyDirection.Minimize, _temp.Storage, seed: 11);
        study.Optimize(trial =>
        {
            double lr = trial.SuggestFloat("lr", 1e-4, 1, log: true);
            int units = trial.SuggestInt("units", 8, 64);
            string activation = trial.SuggestCategorical("activation", ["relu", "tanh"]);
            double value = Math.Pow(Math.Log10(lr) + 2, 2) + units / 64.0 + (activation == "tanh" ? 0.3 : 0);
            for (int step = 0; step < 3; step++)
            {
                trial.Report(value + 1.0 / (step + 1), step);
                if (trial.Number % 5 == 4 && step == 1) throw new TrialPruned("halfway");
            }
            if (trial.Number == 6) throw new InvalidOperationException("diverged");
            return value;
        }, 12);
        string report = Path.Combine(_temp.DirectoryPath, "report.html");
        Report("--study", study.Name, "--storage", _temp.Url, "--out", report);

        var charts = await OpenAsync(report, "study-report.png");
        var trials = _temp.Storage.GetAllTrials(study.StudyId);
        var complete = trials.Where(t => t.State == TrialState.Complete).ToArray();
        int[] Numbers(IEnumerable<Mark> marks) => marks.Select(m => int.Parse(m.Data["trial"], CultureInfo.InvariantCulture)).ToArray();

        var history = charts.Single(c => c.Section == "history").OfKind("point");
        Assert.Equal(complete.Select(t => t.Number), Numbers(history));
        Assert.Equal(complete.Select(t => t.Value!.Value), history.Select(p => p.Numbers("y")[0]));

        // One line per trial that reported, and its last report marked in the trial's state.
        var intermediate = charts.Single(c => c.Section == "intermediate");
        var reported = trials.Where(t => t.IntermediateValues.Count > 0).ToArray();
        Assert.Equal(reported.Length, intermediate.OfKind("line").Length);
        var lastReports = intermediate.OfKind("point").Where(p => p.Data.ContainsKey("trial")).ToArray();
        Assert.Equal(reported.Select(t => t.Number), Numbers(lastReports));
        Assert.Equal(reported.Select(t => t.IntermediateValues[t.LastStep!.Value]), lastReports.Select(p => p.Numbers("y")[0]));
        Assert.Equal(trials.Count(t => t.State == TrialState.Pruned), lastReports.Count(p => p.Data["state"] == "pruned"));

        var parallel = charts.Single(c => c.Section == "parallel").OfKind("trial");
        Assert.Equal(complete.Select(t => t.Number), Numbers(parallel));
        Assert.Equal(complete.Select(t => t.Value!.Value), parallel.Select(p => p.Numbers("objective")[0]));

        var slices = charts.Where(c => c.Section == "slices").ToArray();
        Assert.Equal(["activation", "lr", "units"], slices.Select(s => s.Title["Slice: ".Length..]).Order());
        var lrSlice = slices.Single(s => s.Title == "Slice: lr").OfKind("point");
        Assert.Equal(complete.Select(t => Convert.ToDouble(t.Params["lr"], CultureInfo.InvariantCulture)), lrSlice.Select(p => p.Numbers("x")[0]));

        var bars = charts.Single(c => c.Section == "importance").OfKind("bar");
        Assert.Equal(["activation", "lr", "units"], bars.Select(b => b.Data["category"]).Order());
        Assert.Equal(1.0, bars.Sum(b => b.Numbers("value")[0]), 1e-6);
    }
}
