using System.Globalization;
using System.Text.Json;
using Sparta.Cli;
using Sparta.Data.Loaders;
using Sparta.Diagnostics;
using Sparta.Tensors;
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

    /// <summary>
    /// A real run of <c>sparta train</c>, small enough for a test: three separable Gaussian blobs in
    /// four dimensions, a small MLP, three epochs, diagnostics on (the default). Returns the run directory.
    /// </summary>
    private string TrainBlobs()
    {
        var random = new RandomGenerator(7);
        const int count = 120;
        var x = new float[count * 4];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            y[i] = i % 3;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (d == i % 3 ? 3f : 0f) + (float)random.Normal();
        }
        NpyFile.Write(Path.Combine(_temp.DirectoryPath, "x.npy"), Tensor.FromArray(x, count, 4));
        NpyFile.Write(Path.Combine(_temp.DirectoryPath, "y.npy"), Tensor.FromArray(y, count));
        string experiment = Path.Combine(_temp.DirectoryPath, "blobs.yaml");
        File.WriteAllText(experiment, """
            name: blobs
            seed: 3
            epochs: 3
            batch_size: 16
            data:
              train: {inputs: x.npy, targets: y.npy}
              validation_split: 0.25
            model:
              layers:
                - {name: dense, units: 8, activation: relu}
                - {name: dense, units: 3}
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {name: adam, learning_rate: 0.01}
            """);
        string run = Path.Combine(_temp.RunsDirectory, "blobs");
        var error = new StringWriter();
        Assert.True(CommandLine.Run(["train", experiment, "--out", run, "--threads", "1", "--quiet"], new StringWriter(), error) == 0, error.ToString());
        return run;
    }

    [Fact]
    public async Task ARunReportDrawsTheLearningCurvesAndDiagnosticsOfARealRun()
    {
        string run = TrainBlobs();
        var history = HistoryLogger.FromJson(File.ReadAllText(Path.Combine(run, "history.json")));
        var batchLosses = File.ReadLines(Path.Combine(run, "learning_curve.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        var diagnostics = RunDiagnostics.Load(Path.Combine(run, RunDiagnostics.FileName));
        // The report train wrote, then the same rewritten by the report command: both are drawn.
        var charts = await OpenAsync(Path.Combine(run, "report.html"), "run-report.png");
        Report(run, "--out", Path.Combine(_temp.DirectoryPath, "again.html"));
        Assert.Equal(charts.Length, (await OpenAsync(Path.Combine(_temp.DirectoryPath, "again.html"), "run-report-again.png")).Length);

        Assert.Equal(["loss", "accuracy", "loss per batch"], charts.Where(c => c.Section == "curves").Select(c => c.Title));
        foreach (string key in new[] { "loss", "accuracy" })
        {
            var lines = charts.Single(c => c.Title == key).OfKind("line").ToDictionary(l => l.Data["series"]);
            Assert.Equal(history.Epochs.Select(e => (double)e), lines["training"].Numbers("x"));
            Assert.Equal(history[key], lines["training"].Numbers("y"));
            Assert.Equal(history["val_" + key], lines["validation"].Numbers("y"));
        }
        Assert.Equal(batchLosses, Assert.Single(charts.Single(c => c.Title == "loss per batch").OfKind("line")).Numbers("y"));

        // Diagnostics: each layer's activation mean per inspection, each kernel's update ratio per epoch.
        var inside = charts.Where(c => c.Section == "diagnostics").ToArray();
        var means = inside.Single(c => c.Title == "activation mean").OfKind("line").ToDictionary(l => l.Data["series"]);
        var layers = diagnostics.Activations[0].Layers.Select(l => l.Layer).ToArray();
        Assert.Equal(layers.Order(), means.Keys.Order());
        foreach (string layer in layers)
            Assert.Equal(diagnostics.Activations.Select(i => i[layer].Mean), means[layer].Numbers("y"));
        var ratios = inside.Single(c => c.Title.StartsWith("update ratio", StringComparison.Ordinal)).OfKind("line").ToDictionary(l => l.Data["series"]);
        Assert.NotEmpty(ratios);
        // An epoch without a measured step has no ratio (NaN), and a log axis no place for zero: neither is drawn.
        foreach (var (parameter, line) in ratios)
            Assert.Equal(diagnostics.Updates.Select(e => e[parameter].UpdateRatio).Where(r => r > 0), line.Numbers("y"));
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
        }, 12, catchExceptions: [typeof(InvalidOperationException)]);
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
