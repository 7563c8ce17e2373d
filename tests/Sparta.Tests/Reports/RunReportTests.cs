using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sparta.Cli;
using Sparta.Charts;
using Sparta.Data.Loaders;
using Sparta.Diagnostics;
using Sparta.Reports;
using Sparta.Tensors;
using Sparta.Tests.Charts;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Tests.Reports;

/// <summary>A real (tiny) training run through <c>sparta train</c>, then its learning curves and report checked against its files.</summary>
public sealed class RunReportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Trains two noisy classes in 3 dimensions at <paramref name="learningRate"/> through <c>sparta train</c>; returns the run directory.</summary>
    private string Train(string learningRate)
    {
        var random = new RandomGenerator(5);
        const int Count = 96;
        var x = new float[Count * 3];
        var y = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            y[i] = i % 2;
            for (int d = 0; d < 3; d++) x[i * 3 + d] = (i % 2 == 1 ? 1.5f : -1.5f) * (d == 0 ? 1 : 0) + (float)random.Normal();
        }
        NpyFile.Write(Path.Combine(_directory, "x.npy"), Tensor.FromArray(x, Count, 3));
        NpyFile.Write(Path.Combine(_directory, "y.npy"), Tensor.FromArray(y, Count));
        string experiment = Path.Combine(_directory, "exp.yaml");
        File.WriteAllText(experiment, $$"""
            name: tiny <run> & co
            seed: 1
            epochs: 4
            batch_size: 16
            data:
              train: {inputs: x.npy, targets: y.npy}
              validation_split: 0.25
            model:
              layers:
                - {name: dense, units: 6, activation: tanh}
                - {name: dense, units: 2}
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {name: sgd, learning_rate: {{learningRate}}}
            """);
        string run = Path.Combine(_directory, "run");
        var (code, _, error) = Sparta("train", experiment, "--out", run, "--quiet", "--threads", "1");
        Assert.True(code == 0, error);
        return run;
    }

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>history.json read as plain JSON, not through the History reader under test.</summary>
    private static Dictionary<string, double[]> HistoryValues(string run)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "history.json")));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(Number).ToArray());
    }

    /// <summary>A JSON number, or a named one ("NaN", "Infinity") as System.Text.Json writes them.</summary>
    private static double Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble();

    private static IEnumerable<XElement> SvgIn(string html) =>
        Regex.Matches(html, "<svg xmlns=.*?</svg>\n(?=</div>)", RegexOptions.Singleline).Select(m => XDocument.Parse(m.Value).Root!);

    private static void AssertCurve(IEnumerable<XElement> charts, string title, string series, double[] epochs, double[] values)
    {
        var chart = charts.Single(c => (string?)c.Attribute("data-title") == title);
        var points = chart.Marks("point").Where(p => (string?)p.Attribute("data-series") == series).ToArray();
        Assert.Equal(epochs, points.Select(p => p.Number("data-x")));
        Assert.Equal(values, points.Select(p => p.Number("data-y")));
        foreach (var point in points)
            Assert.Equal(point.Number("data-y"), point.Area().DataY(point.Number("cy")), point.Area().YTolerance(point.Number("data-y")));
    }

    [Fact]
    public void TheRunDirectoryHoldsLearningCurvesOfEveryQuantityDrawnFromItsHistory()
    {
        string run = Train("0.05");
        var history = HistoryValues(run);
        var figure = XDocument.Load(Path.Combine(run, LearningCurves.FileName)).Root!;
        var charts = figure.Elements().Where(e => (string?)e.Attribute("class") == "chart").ToArray();

        Assert.Equal(new[] { "loss", "accuracy", "loss per batch" }, charts.Select(c => (string)c.Attribute("data-title")!));
        foreach (string quantity in new[] { "loss", "accuracy" })
        {
            AssertCurve(charts, quantity, "training", history["epochs"], history[quantity]);
            AssertCurve(charts, quantity, "validation", history["epochs"], history["val_" + quantity]);
        }
        // 72 training examples in batches of 16: 5 steps an epoch, each batch's loss from learning_curve.csv.
        var rows = File.ReadAllLines(Path.Combine(run, "learning_curve.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(4 * 5, rows.Length);
        var batchLine = charts[2].Marks("line").Single();
        Assert.Equal(rows.Select(r => double.Parse(r[2], CultureInfo.InvariantCulture)), batchLine.Numbers("data-y"));
        Assert.Equal(rows.Select(r => double.Parse(r[0], CultureInfo.InvariantCulture)), batchLine.Numbers("data-x"));

        if (PngConverter.Available)
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(run, "learning_curves.png"))[..4]);
    }

    [Fact]
    public void TheReportShowsScoresFindingsCurvesAndTheExperimentFile()
    {
        string run = Train("0.00001");
        string html = File.ReadAllText(Path.Combine(run, RunReport.FileName));
        var history = HistoryValues(run);

        foreach (string id in new[] { "result", "findings", "curves", "diagnostics", "experiment" }) Assert.Contains($"<section id=\"{id}\">", html);
        Assert.Contains("name: tiny &lt;run&gt; &amp; co", html);
        Assert.Contains("learning rate too small", html);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json")));
        double valLoss = result.RootElement.GetProperty("val_loss").GetDouble();
        Assert.Contains($"<td>val_loss</td><td>{valLoss.ToString("G6", CultureInfo.InvariantCulture)}</td>", html);
        AssertCurve(SvgIn(html), "loss", "training", history["epochs"], history["loss"]);
        AssertCurve(SvgIn(html), "accuracy", "validation", history["epochs"], history["val_accuracy"]);
    }

    [Fact]
    public void ADivergedRunIsReportedWithItsScoresAndEveryFindingOfTheDoctor()
    {
        string run = Train("1e30");
        string html = File.ReadAllText(Path.Combine(run, RunReport.FileName));
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json")));
        Assert.Contains($"<td>val_loss</td><td>{Number(result.RootElement.GetProperty("val_loss")).ToString("G6", CultureInfo.InvariantCulture)}</td>", html);

        var files = RunFiles.Load(run);
        var findings = Doctor.Diagnose(files.History, files.Diagnostics, files.FirstBatchLoss);
        // The first epoch already blew up: only the first batch's loss shows where the run started.
        Assert.Contains(findings, f => f.Problem == "divergence" && f.Evidence.Contains("the first batch's"));
        Assert.Equal(findings.Select(f => "<li>" + SvgWriter.Escape(f.ToString()) + "</li>"), Regex.Matches(html, "<li>.*?</li>").Select(m => m.Value));
        var history = HistoryValues(run);
        var drawn = SvgIn(html).Single(c => (string?)c.Attribute("data-title") == "loss").Marks("point").Where(p => (string?)p.Attribute("data-series") == "training");
        Assert.Equal(history["loss"].Where(double.IsFinite), drawn.Select(p => p.Number("data-y")));
    }

    [Fact]
    public void NonFiniteScoresOfResultJsonAreKept()
    {
        var history = new History();
        history.Add(1, new Dictionary<string, double> { ["loss"] = double.NaN });
        File.WriteAllText(Path.Combine(_directory, "history.json"), HistoryLogger.ToJson(history));
        File.WriteAllText(Path.Combine(_directory, "result.json"), """{"val_loss": "NaN", "val_accuracy": 0.5, "note": "text"}""");
        var run = RunFiles.Load(_directory);
        Assert.Equal(["val_loss", "val_accuracy"], run.Result.Select(r => r.Key));
        Assert.True(double.IsNaN(run.Result[0].Value));
        Assert.Null(run.Diagnostics);
        Assert.Contains("<td>val_loss</td><td>NaN</td>", RunReport.Html(run));

        File.WriteAllText(Path.Combine(_directory, "result.json"), "[0.5]");
        var error = Assert.Throws<FormatException>(() => RunFiles.Load(_directory)).Message;
        Assert.Contains("result.json", error);
        Assert.Contains("got a JSON Array", error);
    }

    [Fact]
    public void TheReportDrawsTheRecordedDiagnostics()
    {
        string run = Train("0.05");
        var charts = SvgIn(File.ReadAllText(Path.Combine(run, RunReport.FileName))).ToArray();
        using var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "diagnostics.json")));
        var updates = recorded.RootElement.GetProperty("updates").EnumerateArray().ToArray();
        var activations = recorded.RootElement.GetProperty("activations").EnumerateArray().ToArray();
        Assert.NotEmpty(updates);
        Assert.NotEmpty(activations);

        // Recorded values per epoch as the JSON holds them ("NaN" when an epoch had no measured step); only finite ones are drawn.
        void AssertDrawn(JsonElement[] records, string title, string series, string list, string nameKey, string name, string value)
        {
            var recordedPoints = records.Select(r => ((double)r.GetProperty("epoch").GetInt32(),
                    Number(r.GetProperty(list).EnumerateArray().Single(p => p.GetProperty(nameKey).GetString() == name).GetProperty(value))))
                .Where(p => double.IsFinite(p.Item2)).ToArray();
            Assert.NotEmpty(recordedPoints);
            AssertCurve(charts, title, series, recordedPoints.Select(p => p.Item1).ToArray(), recordedPoints.Select(p => p.Item2).ToArray());
        }
        AssertDrawn(updates, "update ratio ||ΔW|| / ||W||", "dense/kernel", "parameters", "parameter", "dense/kernel", "update_ratio");
        AssertDrawn(activations, "activation mean", "dense", "layers", "layer", "dense", "mean");
        AssertDrawn(activations, "activation std", "dense", "layers", "layer", "dense", "std");
        AssertDrawn(activations, "saturated and dead units", "dense saturated", "layers", "layer", "dense", "saturated");
        Assert.True(File.Exists(Path.Combine(run, "diagnostics.svg")));
    }

    [Fact]
    public void TheReportCommandRewritesTheSamePageFromTheFilesAtomically()
    {
        string run = Train("0.05");
        string written = File.ReadAllText(Path.Combine(run, RunReport.FileName));
        File.Delete(Path.Combine(run, RunReport.FileName));

        var (code, output, error) = Sparta("report", run);
        Assert.True(code == 0, error);
        Assert.Equal($"report {Path.GetFullPath(Path.Combine(run, RunReport.FileName))}\n", output.ReplaceLineEndings("\n"));
        Assert.Equal(written, File.ReadAllText(Path.Combine(run, RunReport.FileName)));

        string elsewhere = Path.Combine(_directory, "out", "page.html");
        Assert.Equal(0, Sparta("report", run, "--out", elsewhere).Code);
        Assert.Equal(written, File.ReadAllText(elsewhere));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(elsewhere)!, "*.tmp"));
    }

    [Fact]
    public void ReportingAMissingOrEmptyDirectoryFailsWithOneLineNamingIt()
    {
        string missing = Path.Combine(_directory, "nowhere");
        var (code, output, error) = Sparta("report", missing);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"sparta report: run directory '{missing}' does not exist", error.TrimEnd('\n'));

        string empty = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName;
        (code, _, error) = Sparta("report", empty);
        Assert.Equal(1, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains($"'{empty}' has no history.json", error);
        Assert.Empty(Directory.GetFiles(empty));

        Assert.Equal(2, Sparta("report").Code);
        Assert.Equal(2, Sparta("report", empty, "--colour", "red").Code);
    }
}
