using System.Globalization;
using Sparta.Cli;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Onnx;

namespace Sparta.Tests.Cli;

/// <summary><c>sparta export</c> and <c>sparta bench predict</c> from the command line.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>A small saved model with fitted standardization, and raw samples for it.</summary>
    private (string Path, Model Model, PreprocessingPipeline Pipeline, Tensor Raw) SavedModel()
    {
        var raw = Tensor.Zeros(16, 4);
        new RandomGenerator(1).FillUniform(raw.Span, 0, 10);
        var pipeline = PreprocessingPipeline.FromConfig([new PreprocessorConfig("standardize")]);
        pipeline.Fit(raw);
        var input = Model.Input([4], "features");
        var model = new Model(input, new Dense(3, "softmax").Call(new Dense(5, "relu").Call(input)), "small", seed: 2);
        string path = _directory.File("small.sparta");
        ModelFile.Save(path, model, new Dictionary<string, PreprocessingPipeline> { ["features"] = pipeline });
        return (path, model, pipeline, raw);
    }

    [Fact]
    public void ExportWritesTheModelWithItsPreprocessingAndOnnxRuntimeAgrees()
    {
        var (path, model, pipeline, raw) = SavedModel();
        string onnx = _directory.File("small.onnx");
        var (code, output, error) = Sparta("export", path, "--onnx", onnx, "--opset", "15");
        Assert.True(code == 0, error);
        Assert.Contains("wrote", output);
        OnnxChecker.AssertValid(onnx);
        var actual = OnnxRuntimeOracle.Run(onnx, new Dictionary<string, Tensor> { ["features"] = raw });
        OnnxRuntimeOracle.AssertClose(model.Forward(pipeline.Transform(raw)), actual, "export");
    }

    [Fact]
    public void ExportTakesARunDirectoryAsPredictAndEvaluateDo()
    {
        var (path, model, pipeline, raw) = SavedModel();
        string run = _directory.File("run");
        Directory.CreateDirectory(run);
        File.Move(path, Path.Combine(run, "model.sparta"));
        string onnx = _directory.File("from-run.onnx");
        var (code, _, error) = Sparta("export", run, "--onnx", onnx);
        Assert.True(code == 0, error);
        var actual = OnnxRuntimeOracle.Run(onnx, new Dictionary<string, Tensor> { ["features"] = raw });
        OnnxRuntimeOracle.AssertClose(model.Forward(pipeline.Transform(raw)), actual, "export from a run directory");
    }

    [Theory]
    [InlineData(new[] { "--opset", "9" }, 2, "--opset")]
    [InlineData(new string[0], 2, "--onnx")]
    public void ExportRefusesBadArgumentsInOneLine(string[] extra, int expectedCode, string named)
    {
        var (path, _, _, _) = SavedModel();
        string[] words = extra.Length == 0 ? ["export", path] : ["export", path, "--onnx", _directory.File("x.onnx"), .. extra];
        var (code, _, error) = Sparta(words);
        Assert.Equal(expectedCode, code);
        Assert.Contains(named, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(_directory.File("x.onnx")));
    }

    [Fact]
    public void AMissingModelFileIsNamed()
    {
        string missing = _directory.File("none.sparta");
        var (code, _, error) = Sparta("export", missing, "--onnx", _directory.File("x.onnx"));
        Assert.Equal(1, code);
        Assert.Contains(missing, error);
    }

    [Fact]
    public void BenchPredictPrintsALinePerBatchSize()
    {
        var (path, _, _, _) = SavedModel();
        var (code, output, error) = Sparta("bench", "predict", path, "--no-peer", "--batches", "1,8", "--rounds", "1", "--seconds", "0.05");
        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("predict model=small batch=1 threads=1 sparta_ms=", lines[0]);
        Assert.Contains(" sparta_cpu_ms=", lines[0]);
        Assert.StartsWith("predict model=small batch=8 threads=1 sparta_ms=", lines[1]);
    }

    [Fact]
    public void BenchPredictWithLayersTimesEachLayerOfTheForwardPass()
    {
        var (path, model, _, _) = SavedModel();
        var (code, output, error) = Sparta("bench", "predict", path, "--no-peer", "--layers", "--batches", "4", "--rounds", "1", "--seconds", "0.05");
        Assert.True(code == 0, error);
        var lines = output.Trim().Split('\n');
        var layers = lines.Where(l => l.StartsWith("layer ", StringComparison.Ordinal)).ToArray();
        double means = 0;
        foreach (var layer in model.Layers)
        {
            string line = Assert.Single(layers, l => l.Contains($" name={layer.Name} type={layer.TypeName} "));
            Assert.StartsWith("layer model=small batch=4 ", line);
            double fastest = Field(line, "sparta_ms"), mean = Field(line, "sparta_mean_ms");
            Assert.True(fastest > 0 && fastest <= mean && mean < 1e4, line);
            means += mean;
        }
        // The means add up: the layers' to the call's, less the plan's own time before and after them.
        string calls = Assert.Single(lines, l => l.StartsWith("calls model=small batch=4 ", StringComparison.Ordinal));
        Assert.True(Field(calls, "calls") >= 1, calls);
        Assert.Equal(means, Field(calls, "layers_mean_ms"), 0.01);
        Assert.Equal(Field(calls, "call_mean_ms"), Field(calls, "layers_mean_ms") + Field(calls, "before_mean_ms") + Field(calls, "after_mean_ms"), 0.01);

        static double Field(string line, string key) => double.Parse(
            line.Split(' ').Single(f => f.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>An ONNX classifier (softmax or logits out), raw samples and their labels as .npy files, and ONNX Runtime's outputs on them.</summary>
    private (string Onnx, string Inputs, string Targets, Tensor Outputs, float[] Labels) OnnxClassifier(bool softmax)
    {
        var raw = Tensor.Zeros(40, 4);
        new RandomGenerator(7).FillUniform(raw.Span, -2, 2);
        var input = Model.Input([4], "features");
        var hidden = new Dense(6, "tanh").Call(input);
        var model = new Model(input, (softmax ? new Dense(3, "softmax") : new Dense(3)).Call(hidden), "classifier", seed: 4);
        string onnx = _directory.File(softmax ? "probabilities.onnx" : "logits.onnx");
        OnnxExport.Save(model, onnx);
        var labels = Enumerable.Range(0, 40).Select(i => (float)(i % 3)).ToArray();
        string inputs = _directory.File("x.npy"), targets = _directory.File("y.npy");
        NpyFile.Write(inputs, raw);
        NpyFile.Write(targets, Tensor.FromArray(labels, 40));
        return (onnx, inputs, targets, OnnxRuntimeOracle.Run(onnx, new Dictionary<string, Tensor> { ["features"] = raw }), labels);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EvaluateScoresAnOnnxClassifierAsOnnxRuntimesOutputsGive(bool softmax)
    {
        var (onnx, inputs, targets, outputs, labels) = OnnxClassifier(softmax);
        // A softmax output says what the loss is; logits need it named.
        string[] loss = softmax ? [] : ["--loss", "sparse_categorical_crossentropy"];
        var (code, output, error) = Sparta(["evaluate", onnx, "--inputs", inputs, "--targets", targets, .. loss]);
        Assert.True(code == 0, error);
        var scores = ScoreFormulas.Scores(output);
        var (expectedLoss, expectedAccuracy) = ScoreFormulas.CrossEntropy(outputs, labels, probabilities: softmax);
        Assert.Equal(expectedAccuracy, scores["test_accuracy"], 6);
        Assert.True(Math.Abs(expectedLoss - scores["test_loss"]) <= 1e-5 * Math.Max(1, expectedLoss), $"loss {scores["test_loss"]}, ONNX Runtime's outputs give {expectedLoss}");
    }

    [Fact]
    public void EvaluateTakesTheMetricsNamed()
    {
        var (onnx, inputs, targets, outputs, labels) = OnnxClassifier(softmax: true);
        var (code, output, error) = Sparta("evaluate", onnx, "--inputs", inputs, "--targets", targets, "--metrics", "f1,accuracy");
        Assert.True(code == 0, error);
        var scores = ScoreFormulas.Scores(output);
        Assert.Equal(ScoreFormulas.CrossEntropy(outputs, labels, probabilities: true).Accuracy, scores["test_accuracy"], 6);
        Assert.Contains("test_f1", scores.Keys);
    }

    [Theory]
    [InlineData(new string[0], "--loss")]
    [InlineData(new[] { "--loss", "cross_entropy" }, "option --loss: loss: unknown name 'cross_entropy'")]
    [InlineData(new[] { "--loss", "mse", "--metrics", "acuracy" }, "option --metrics: metric: unknown name 'acuracy'")]
    public void EvaluateOfLogitsWithoutAKnownLossFailsInOneLine(string[] extra, string expected)
    {
        var (onnx, inputs, targets, _, _) = OnnxClassifier(softmax: false);
        var (code, output, error) = Sparta(["evaluate", onnx, "--inputs", inputs, "--targets", targets, .. extra]);
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
