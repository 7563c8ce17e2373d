using Sparta.Configuration;
using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Onnx;

namespace Sparta.Tests.Cli;

/// <summary>PyTorch's model returning a tuple, <c>class</c> logits and a <c>box</c> of four sigmoids (torch_models.py), exported once for the class.</summary>
public sealed class TorchTwoOutputs : TorchExports
{
    public TorchTwoOutputs() : base("two_outputs")
    {
    }
}

/// <summary>
/// <c>sparta evaluate</c> of an ONNX file with several outputs, which records no loss: each output scored by the loss
/// named for it (<c>--loss OUTPUT=LOSS</c>), for all (<c>--loss LOSS</c>) or read from a softmax, as the formulas give
/// on ONNX Runtime's outputs; an output left without a loss is one line naming it.
/// </summary>
public sealed class OnnxMultiOutputEvaluateTests(TorchTwoOutputs torch) : IClassFixture<TorchTwoOutputs>, IDisposable
{
    private const int Samples = 30;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>Writes <paramref name="tensor"/> as a .npy file of the test's directory; its path.</summary>
    private string Npy(string name, Tensor tensor)
    {
        string path = _directory.File(name + ".npy");
        NpyFile.Write(path, tensor);
        return path;
    }

    private static Tensor Random(int seed, double low, double high, params int[] shape)
    {
        var tensor = Tensor.Zeros(shape);
        new RandomGenerator((ulong)seed).FillUniform(tensor.Span, low, high);
        return tensor;
    }

    private static float[] Labels(int classes) => Enumerable.Range(0, Samples).Select(i => (float)(i * 7 % classes)).ToArray();

    /// <summary>The values of the one result line printed.</summary>
    private static Dictionary<string, double> Scores(string output)
    {
        string line = Assert.Single(output.Trim().Split('\n'));
        Assert.StartsWith("result ", line);
        return ScoreFormulas.Scores(line);
    }

    /// <summary>The result line prints six significant digits.</summary>
    private static void AssertScore(double expected, IReadOnlyDictionary<string, double> scores, string key)
    {
        Assert.True(scores.ContainsKey(key), $"no {key} in {string.Join(" ", scores.Keys)}");
        Assert.True(Math.Abs(expected - scores[key]) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{key} = {scores[key]}, the formula on ONNX Runtime's outputs gives {expected}");
    }

    [Fact]
    public void APyTorchModelReturningATupleIsScoredByTheLossNamedForEachOutput()
    {
        string onnx = torch.Model("two_outputs");
        var x = Random(3, -2, 2, Samples, 1, 8, 8);
        var boxes = Random(4, 0, 1, Samples, 4);
        var labels = Labels(3);
        var outputs = OnnxRuntimeOracle.RunOutputs(onnx, new Dictionary<string, Tensor> { ["input0"] = x }).ToDictionary(p => p.Key, p => p.Value);

        var (code, output, error) = Sparta("evaluate", onnx, "--inputs", Npy("x", x),
            "--targets", "class=" + Npy("labels", Tensor.FromArray(labels, Samples)), "--targets", "box=" + Npy("boxes", boxes),
            "--loss", "class=sparse_categorical_crossentropy", "--loss", "box=mse", "--metrics", "box=mae", "--loss-weights", "box=10");
        Assert.True(code == 0, error);
        var scores = Scores(output);

        // class gives logits: cross-entropy through the softmax, and accuracy (a cross-entropy's default metric).
        var (crossEntropy, accuracy) = ScoreFormulas.CrossEntropy(outputs["class"], labels, probabilities: false);
        var (squared, absolute) = ScoreFormulas.Errors(outputs["box"], boxes);
        AssertScore(crossEntropy, scores, "test_class_loss");
        AssertScore(accuracy, scores, "test_class_accuracy");
        AssertScore(squared, scores, "test_box_loss");
        AssertScore(absolute, scores, "test_box_mae");
        AssertScore(crossEntropy + 10 * squared, scores, "test_loss");
        Assert.Equal(5, scores.Count);
    }

    /// <summary>A Sparta model with a softmax head (<c>class</c>) and a head of two values (<c>value</c>), exported to ONNX.</summary>
    private string SpartaTwoOutputs()
    {
        var input = Model.Input([4], "features");
        var hidden = new Dense(8, "tanh").Call(input);
        var model = new Model([input], [new Dense(3, "softmax", name: "class").Call(hidden), new Dense(2, name: "value").Call(hidden)], "two-heads", seed: 5);
        string onnx = _directory.File("two-heads.onnx");
        OnnxExport.Save(model, onnx);
        OnnxChecker.AssertValid(onnx);
        return onnx;
    }

    [Fact]
    public void ASpartaExportWithASoftmaxHeadTakesOneLossForTheOthers()
    {
        string onnx = SpartaTwoOutputs();
        var x = Random(6, -2, 2, Samples, 4);
        var values = Random(7, -1, 1, Samples, 2);
        var labels = Labels(3);
        var outputs = OnnxRuntimeOracle.RunOutputs(onnx, new Dictionary<string, Tensor> { ["features"] = x }).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(["class", "value"], outputs.Keys);

        // One --loss for every output, but the softmax's own, which a loss named for it would replace.
        string[] arguments = ["evaluate", onnx, "--inputs", Npy("x", x),
            "--targets", "class=" + Npy("labels", Tensor.FromArray(labels, Samples)), "--targets", "value=" + Npy("values", values)];
        var (code, output, error) = Sparta([.. arguments, "--loss", "mae", "--loss", "class=sparse_categorical_crossentropy"]);
        Assert.True(code == 0, error);
        var scores = Scores(output);
        var (crossEntropy, accuracy) = ScoreFormulas.CrossEntropy(outputs["class"], labels, probabilities: true);
        var (_, absolute) = ScoreFormulas.Errors(outputs["value"], values);
        AssertScore(crossEntropy, scores, "test_class_loss");
        AssertScore(accuracy, scores, "test_class_accuracy");
        AssertScore(absolute, scores, "test_value_loss");
        AssertScore(crossEntropy + absolute, scores, "test_loss");
        Assert.Equal(4, scores.Count);

        // The softmax says its loss: naming only the other output's gives the same line.
        (code, string inferred, error) = Sparta([.. arguments, "--loss", "value=mae"]);
        Assert.True(code == 0, error);
        Assert.Equal(output, inferred);

        // The same through C#.
        var saved = ModelLoader.Load(onnx);
        var fromCSharp = ModelEvaluation.Evaluate(saved, new Dictionary<string, Tensor> { ["features"] = x },
            outputTargets: new Dictionary<string, Tensor> { ["class"] = Tensor.FromArray(labels, Samples), ["value"] = values },
            outputScoring: new OutputScoring(Losses: new Dictionary<string, ComponentConfig> { ["value"] = "mae" }));
        Assert.Equal(output.Trim(), RunDirectory.TestResultLine(fromCSharp));
    }

    [Theory]
    [InlineData(new string[0], "model file '{onnx}': output 'value' records no loss and is not a softmax, so the loss to evaluate it by is unknown; name one (--loss value=LOSS)", 1)]
    [InlineData(new[] { "--loss", "class=mse" }, "model file '{onnx}': output 'value' records no loss and is not a softmax, so the loss to evaluate it by is unknown; name one (--loss value=LOSS)", 1)]
    [InlineData(new[] { "--loss", "valu=mse" }, "--loss: model 'two-heads' has no output 'valu' (its outputs: class, value)", 1)]
    [InlineData(new[] { "--loss", "value=mes" }, "option --loss value=mes: loss: unknown name 'mes'", 2)]
    [InlineData(new[] { "--loss", "mse", "--loss", "mae" }, "--loss: give one LOSS for every output, or OUTPUT=LOSS per output; got 'mse' and 'mae'", 2)]
    [InlineData(new[] { "--loss", "value=mse", "--loss", "value=mae" }, "--loss: output 'value' is given twice", 2)]
    [InlineData(new[] { "--loss", "value=mse", "--metrics", "value=mea" }, "option --metrics value=mea: metric: unknown name 'mea'", 2)]
    [InlineData(new[] { "--loss", "value=mse", "--loss-weights", "value=-1" }, "--loss-weights: the weight of output 'value' must be a finite number ≥ 0, got '-1'", 2)]
    [InlineData(new[] { "--loss", "value=mse", "--loss-weights", "2" }, "--loss-weights: give OUTPUT=WEIGHT, got '2'", 2)]
    public void AnOutputWithoutALossOrABadNameIsOneLine(string[] extra, string expected, int expectedCode)
    {
        string onnx = SpartaTwoOutputs();
        string x = Npy("x", Random(8, -1, 1, Samples, 4));
        string labels = Npy("labels", Tensor.FromArray(Labels(3), Samples)), values = Npy("values", Random(9, -1, 1, Samples, 2));
        var (code, output, error) = Sparta(["evaluate", onnx, "--inputs", x, "--targets", "class=" + labels, "--targets", "value=" + values, .. extra]);
        Assert.Equal(expectedCode, code);
        Assert.Equal("", output);
        Assert.Equal("sparta evaluate: " + expected.Replace("{onnx}", onnx, StringComparison.Ordinal), error.Trim().Split('\n').Single().Split("; closest")[0]);
    }

    /// <summary>A Sparta model with one output of two values, exported to ONNX; its path and its output's name as the file gives it.</summary>
    private (string Onnx, string Output) SpartaOneOutput()
    {
        var input = Model.Input([4], "features");
        var model = new Model(input, new Dense(2, name: "value").Call(input), "one", seed: 1);
        string onnx = _directory.File("one.onnx");
        OnnxExport.Save(model, onnx);
        return (onnx, Assert.Single(ModelLoader.Load(onnx).Model.OutputNames));
    }

    [Fact]
    public void AOneOutputModelTakesItsLossNamedForItsOutputOrForEveryOutput()
    {
        var (onnx, name) = SpartaOneOutput();
        var x = Random(1, -1, 1, Samples, 4);
        var y = Random(2, -1, 1, Samples, 2);
        var prediction = OnnxRuntimeOracle.RunOutputs(onnx, new Dictionary<string, Tensor> { ["features"] = x }).Single().Value;
        var (squared, absolute) = ScoreFormulas.Errors(prediction, y);
        string[] arguments = ["evaluate", onnx, "--inputs", Npy("x", x), "--targets", Npy("y", y)];

        var (code, named, error) = Sparta([.. arguments, "--loss", name + "=mse", "--metrics", name + "=mae"]);
        Assert.True(code == 0, error);
        var scores = Scores(named);
        AssertScore(squared, scores, "test_loss");
        AssertScore(absolute, scores, "test_mae");
        Assert.Equal(2, scores.Count);

        // The same line as the loss and metrics given for every output; one named for the output wins over those, as with several outputs.
        (code, string forEvery, error) = Sparta([.. arguments, "--loss", "mse", "--metrics", "mae"]);
        Assert.True(code == 0, error);
        Assert.Equal(named, forEvery);
        (code, string both, error) = Sparta([.. arguments, "--loss", "mae", "--loss", name + "=mse", "--metrics", "accuracy", "--metrics", name + "=mae"]);
        Assert.True(code == 0, error);
        Assert.Equal(named, both);

        // The same through C#.
        var fromCSharp = ModelEvaluation.Evaluate(ModelLoader.Load(onnx), new Dictionary<string, Tensor> { ["features"] = x }, y,
            outputScoring: new OutputScoring(Losses: new Dictionary<string, ComponentConfig> { [name] = "mse" },
                Metrics: new Dictionary<string, IReadOnlyList<ComponentConfig>> { [name] = [new ComponentConfig("mae")] }));
        Assert.Equal(named.Trim(), RunDirectory.TestResultLine(fromCSharp));
    }

    [Theory]
    [InlineData("--loss", "valu=mse", "--loss: model 'one' has no output 'valu' (its outputs: {name})")]
    [InlineData("--metrics", "valu=mae", "--metrics: model 'one' has no output 'valu' (its outputs: {name})")]
    [InlineData("--loss-weights", "{name}=2", "--loss-weights: model 'one' has one output, '{name}', whose loss has no other to be weighed against; got {name}=2")]
    public void AOneOutputModelRefusesAnOutputItLacksOrAWeightInOneLine(string option, string value, string expected)
    {
        var (onnx, name) = SpartaOneOutput();
        var (code, output, error) = Sparta("evaluate", onnx, "--inputs", Npy("x", Random(1, -1, 1, Samples, 4)), "--targets", Npy("y", Random(2, -1, 1, Samples, 2)),
            "--loss", "mse", option, value.Replace("{name}", name, StringComparison.Ordinal));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("sparta evaluate: " + expected.Replace("{name}", name, StringComparison.Ordinal), error.Trim());
    }
}
