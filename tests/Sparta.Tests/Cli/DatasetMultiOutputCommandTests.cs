using System.Globalization;
using Sparta.Data;
using Sparta.Data.Loaders;
using Sparta.Experiments;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Cli;

/// <summary>
/// A model with several outputs trained from a registered dataset (examples/fashion-mnist-two-heads.yaml: a
/// classifier and a decoder of Fashion-MNIST's images): <c>data.targets</c> gives each output the set's target or
/// its input; train and evaluate work through the command line and score as the formulas do, and a target that
/// cannot be is refused in one line naming the key and the value.
/// </summary>
public sealed class DatasetMultiOutputCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => Lifecycle.LifecycleFiles.Command(words);

    /// <summary>The example, cut to one epoch on the first 600 training and 300 test images, with a text replaced; its path.</summary>
    private string Experiment(string name, string? replace = null, string? by = null)
    {
        string text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "examples", "fashion-mnist-two-heads.yaml"))
            .Replace("epochs: 5", "epochs: 1", StringComparison.Ordinal)
            .Replace("validation_split: 0.1", "validation_split: 0.1\n  train_samples: 600\n  test_samples: 300", StringComparison.Ordinal);
        if (replace is not null)
        {
            Assert.Contains(replace, text);
            text = text.Replace(replace, by, StringComparison.Ordinal);
        }
        string path = _directory.File(name + ".yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static Dictionary<string, double> Scores(string line) => line.Trim().Split(' ').Skip(1).Select(p => p.Split('='))
        .Where(p => p.Length == 2).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));

    [Fact]
    public void TrainsAClassifierAndADecoderOnFashionMnistAndEvaluatesEachAsTheFormulasDo()
    {
        var (code, output, error) = Sparta("train", Experiment("two-heads"), "--out", _directory.File("run"), "--quiet");
        Assert.True(code == 0, error);
        var result = Scores(output.Split('\n').Single(l => l.StartsWith("result", StringComparison.Ordinal)));
        Assert.True(result["test_class_accuracy"] is > 0.3 and <= 1, output);   // ten classes: chance is 0.1
        Assert.True(result.ContainsKey("test_decoded_loss"), output);

        // On the whole test split: the classifier's targets from the set, the decoder's are its own (preprocessed) input.
        (code, string evaluated, error) = Sparta("evaluate", _directory.File("run"), "--inputs", "fashion-mnist:test", "--targets", "class=fashion-mnist:test");
        Assert.True(code == 0, error);
        var scores = Scores(evaluated);

        var saved = ModelLoader.Load(_directory.File("run/model.sparta"));
        var test = DatasetRegistry.Load("fashion-mnist", "test");
        var prepared = saved.PrepareInputs(new Dictionary<string, Tensor> { ["image"] = test.Input("image") });
        var outputs = saved.Model.ForwardOutputs(prepared, training: false);
        var (logits, decoded, images) = (outputs[0].ToArray(), outputs[1].ToArray(), prepared[0].ToArray());
        Assert.Equal(0f, images.Min(), 6);   // min_max: the images in [0, 1]
        double crossEntropy = 0, correct = 0, squared = 0, absolute = 0;
        int n = test.Count;
        for (int r = 0; r < n; r++)
        {
            var row = logits.AsSpan(r * 10, 10).ToArray();
            double max = row.Max();
            crossEntropy += max + Math.Log(row.Sum(z => Math.Exp(z - max))) - row[test.Labels![r]];
            correct += Array.IndexOf(row, row.Max()) == test.Labels[r] ? 1 : 0;
        }
        for (int i = 0; i < images.Length; i++)
        {
            double d = decoded[i] - images[i];
            squared += d * d;
            absolute += Math.Abs(d);
        }
        AssertRelative(crossEntropy / n, scores["test_class_loss"]);
        AssertRelative(correct / n, scores["test_class_accuracy"]);
        AssertRelative(squared / images.Length, scores["test_decoded_loss"]);
        AssertRelative(absolute / images.Length, scores["test_decoded_mae"]);
        AssertRelative(crossEntropy / n + 10 * squared / images.Length, scores["test_loss"]);
    }

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Theory]
    [InlineData("decoded: image}", "decoded: pixels}", "data.targets.decoded: must be 'target' (the target of dataset 'fashion-mnist') or 'image' (its input), got 'pixels'")]
    [InlineData("targets: {class: target, decoded: image}", "targets: {class: target}", "data.targets: gives no targets for output 'decoded'")]
    [InlineData("targets: {class: target, decoded: image}", "targets: {class: target, decoded: image, extra: target}", "data.targets.extra: 'extra' is not an output of the model")]
    [InlineData("targets: {class: target, decoded: image}", "targets: image", "data.targets: must map each output name to 'target'")]
    [InlineData("  targets: {class: target, decoded: image}\n", "", "model.outputs gives 2 outputs (class, decoded), each needs its targets")]
    [InlineData("validation_split: 0.1", "validation_split: 0.1\n  one_hot: true", "data.one_hot")]
    public void ATargetThatCannotBeIsRefusedInOneLineNamingTheKeyAndValue(string replace, string by, string expected)
    {
        var (code, _, error) = Sparta("train", Experiment("refused", replace, by), "--out", _directory.File("refused-run"), "--quiet");
        Assert.NotEqual(0, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(_directory.File("refused-run")));
    }

    [Fact]
    public void TargetsNamedOutsideARegisteredDatasetAreRefusedNamingTheKey()
    {
        NpyFile.Write(_directory.File("x.npy"), Tensor.Zeros(4, 3));
        string file = _directory.File("files.yaml");
        File.WriteAllText(file, """
            name: files
            data:
              train: {inputs: x.npy, targets: {a: x.npy, b: x.npy}}
              targets: {a: target, b: target}
            model:
              inputs:
                input:
              layers:
                - {id: a, name: dense, units: 3}
                - {id: b, name: dense, units: 3, inputs: input}
              outputs: [a, b]
            loss: mse
            """);
        var (code, _, error) = Sparta("train", file, "--out", _directory.File("files-run"), "--quiet");
        Assert.NotEqual(0, code);
        Assert.Contains("data.targets: names each output's target in a registered dataset", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
