using System.Text.Json;
using Sparta.Diagnostics;
using Sparta.Optimizers;
using Sparta.Tests.Training;
using Sparta.Training;

namespace Sparta.Tests.Diagnostics;

public sealed class RunDiagnosticsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-diagnostics-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static RunDiagnostics Recorded()
    {
        var data = TrainingData.Blobs(60, 1);
        var activations = new ActivationMonitor(data.Input("input"), bins: 5);
        var updates = new UpdateRatioMonitor();
        var trainer = TrainingData.Classifier(3).Compile(new Sgd(0.05), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(data, epochs: 2, batchSize: 20, seed: 1, callbacks: [activations, updates], verbose: false);
        var recorded = RunDiagnostics.From(activations, updates);
        return recorded with { Findings = [new Finding("example", "evidence, with \"quotes\"", "advice"), .. Doctor.Diagnose(history, recorded)] };
    }

    [Fact]
    public void SaveAndLoadKeepEveryValue()
    {
        var saved = Recorded();
        string path = Path.Combine(_directory, RunDiagnostics.FileName);
        saved.Save(path);
        var loaded = RunDiagnostics.Load(path);

        Assert.Equal(saved.Activations.Select(a => a.Epoch), loaded.Activations.Select(a => a.Epoch));
        foreach (var (a, b) in saved.Activations.Zip(loaded.Activations))
            foreach (var (x, y) in a.Layers.Zip(b.Layers, (x, y) => (x, y)))
            {
                Assert.Equal((x.Layer, x.Activation, x.Mean, x.Std, x.Saturated, x.Dead), (y.Layer, y.Activation, y.Mean, y.Std, y.Saturated, y.Dead));
                Assert.Equal((x.Histogram.Low, x.Histogram.High), (y.Histogram.Low, y.Histogram.High));
                Assert.Equal(x.Histogram.Counts, y.Histogram.Counts);
            }
        Assert.Equal(saved.Updates.Count, loaded.Updates.Count);
        foreach (var (a, b) in saved.Updates.Zip(loaded.Updates))
        {
            Assert.Equal((a.Epoch, a.Steps), (b.Epoch, b.Steps));
            Assert.Equal(a.Parameters, b.Parameters); // records of scalars: equal by value, NaN ratios included
        }
        Assert.Contains(saved.Updates[0].Parameters, p => double.IsNaN(p.UpdateRatio) == false);
        Assert.Equal(saved.Findings, loaded.Findings);
        Assert.Equal(saved.ToJson(), loaded.ToJson());
    }

    [Fact]
    public void TheFileUsesTheDocumentedKeys()
    {
        using var json = JsonDocument.Parse(Recorded().ToJson());
        var root = json.RootElement;
        var layer = root.GetProperty("activations")[0].GetProperty("layers")[0];
        Assert.Equal("dense", layer.GetProperty("layer").GetString());
        Assert.Equal("relu", layer.GetProperty("activation").GetString());
        foreach (string key in new[] { "mean", "std", "saturated", "dead" }) Assert.Equal(JsonValueKind.Number, layer.GetProperty(key).ValueKind);
        Assert.Equal(["low", "high", "counts"], layer.GetProperty("histogram").EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, layer.GetProperty("histogram").GetProperty("counts").GetArrayLength());
        var parameter = root.GetProperty("updates")[0].GetProperty("parameters")[0];
        Assert.Equal("dense/kernel", parameter.GetProperty("parameter").GetString());
        Assert.Equal(JsonValueKind.Number, parameter.GetProperty("update_ratio").ValueKind);
        Assert.Equal(JsonValueKind.Number, parameter.GetProperty("gradient_norm").ValueKind);
        Assert.Equal("example", root.GetProperty("findings")[0].GetProperty("problem").GetString());
    }

    [Fact]
    public void BadFilesAreNamed()
    {
        string missing = Path.Combine(_directory, "none.json");
        Assert.Contains("none.json", Assert.Throws<FileNotFoundException>(() => RunDiagnostics.Load(missing)).Message);
        string bad = Path.Combine(_directory, "bad.json");
        File.WriteAllText(bad, "{\"activations\": 3}");
        Assert.Contains("bad.json", Assert.Throws<FormatException>(() => RunDiagnostics.Load(bad)).Message);
    }
}
