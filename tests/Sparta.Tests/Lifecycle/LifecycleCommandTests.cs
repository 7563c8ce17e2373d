using System.Globalization;
using Sparta.Data.Loaders;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;
using Sparta.Tests.Training;

namespace Sparta.Tests.Lifecycle;

/// <summary>The model's lifecycle through the command line, as a user runs it: train, evaluate, predict, summary, resume, transfer.</summary>
public sealed class LifecycleCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _experiment;

    public LifecycleCommandTests() => _experiment = ExperimentText.Write(_directory.Path, LifecycleFiles.Stateful);

    public void Dispose() => _directory.Dispose();

    private static (int Code, string Output, string Error) Sparta(params string[] words) => LifecycleFiles.Command(words);

    private static string LastLine(string output) => LifecycleFiles.LastLine(output);

    private string Train(string run, params string[] more)
    {
        var (code, output, error) = Sparta(["train", _experiment, "--out", run, "--quiet", "--threads", "1", .. more]);
        Assert.True(code == 0, error);
        return LastLine(output);
    }

    [Fact]
    public void EvaluateOnARunsModelPrintsTheResultLineTrainingPrinted()
    {
        string run = _directory.File("run");
        string trained = Train(run);
        var (code, output, error) = Sparta("evaluate", Path.Combine(run, "model.sparta"));
        Assert.True(code == 0, error);
        string evaluated = LastLine(output);
        Assert.StartsWith("result test_accuracy=", evaluated);
        // Training's line is the same scores, then the run's length and speed.
        Assert.Equal(evaluated, trained[..trained.IndexOf(" epochs=", StringComparison.Ordinal)]);
        Assert.Equal(output, Sparta("evaluate", run).Output);

        var fromFiles = Sparta("evaluate", run, "--inputs", _directory.File("x_test.npy"), "--targets", _directory.File("y_test.npy"));
        Assert.True(fromFiles.Code == 0, fromFiles.Error);
        Assert.StartsWith("result test_accuracy=" + evaluated.Split(' ')[1].Split('=')[1] + " ", LastLine(fromFiles.Output));
    }

    [Fact]
    public void PredictWritesClassesAndProbabilitiesOrTheRawOutputs()
    {
        string run = _directory.File("run");
        Train(run);
        string csv = _directory.File("out/p.csv"), npy = _directory.File("out/p.npy");
        var (code, output, error) = Sparta("predict", run, "--inputs", _directory.File("x_test.npy"), "--out", csv);
        Assert.True(code == 0, error);
        Assert.Contains("60 samples", output);
        Assert.True(Sparta("predict", run, "--inputs", "input=" + _directory.File("x_test.npy"), "--out", npy).Code == 0);

        var logits = NpyFile.Read(npy);
        Assert.Equal([60, 3], logits.Shape.ToArray());
        var rows = File.ReadAllLines(csv);
        Assert.Equal("prediction,probability_0,probability_1,probability_2", rows[0]);
        var values = logits.ToArray();
        for (int r = 0; r < 60; r++)
        {
            var row = values.AsSpan(r * 3, 3).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Max()).ToString(CultureInfo.InvariantCulture), rows[r + 1].Split(',')[0]);
        }
        // The labels agree with the test accuracy evaluate reports.
        var labels = NpyFile.Read(_directory.File("y_test.npy")).ToArray();
        double accuracy = Enumerable.Range(0, 60).Count(r => rows[r + 1].Split(',')[0] == ((int)labels[r]).ToString(CultureInfo.InvariantCulture)) / 60.0;
        string evaluated = LastLine(Sparta("evaluate", run).Output);
        Assert.Equal(accuracy, double.Parse(evaluated.Split(' ')[1].Split('=')[1], CultureInfo.InvariantCulture), tolerance: 1e-5);
    }

    [Fact]
    public void SummaryOfAModelAndOfItsExperimentFile()
    {
        string run = _directory.File("run");
        Train(run);
        var model = ModelLoader.Load(Path.Combine(run, "model.sparta")).Model;
        long total = model.TrainableParameterCount + model.NonTrainableParameterCount;
        string expected = $"params total={total} trainable={model.TrainableParameterCount} frozen={model.NonTrainableParameterCount}";

        var saved = Sparta("summary", run);
        Assert.True(saved.Code == 0, saved.Error);
        Assert.Equal(expected, LastLine(saved.Output));
        Assert.Contains("norm (batch_normalization)", saved.Output);
        // Dense 4→8, batch norm over 8 (γ, β trainable; moving mean and variance not), 8→6, 6→3.
        Assert.Equal((4 * 8 + 8) + 2 * 8 + (8 * 6 + 6) + (6 * 3 + 3), model.TrainableParameterCount);
        Assert.Equal(2 * 8, model.NonTrainableParameterCount);

        var untrained = Sparta("summary", _experiment);
        Assert.True(untrained.Code == 0, untrained.Error);
        Assert.Equal(expected, LastLine(untrained.Output));
        var wider = Sparta("summary", _experiment, "--set", "model.layers.0.units=10");
        Assert.Equal($"params total={total + 2 * 4 + 2 + 4 * 2 + 2 * 6} trainable={model.TrainableParameterCount + 2 * 4 + 2 + 2 * 2 + 2 * 6} frozen={model.NonTrainableParameterCount + 2 * 2}",
            LastLine(wider.Output));
    }

    [Fact]
    public void ResumingOneEpochToTwoGivesTheTwoEpochRun()
    {
        string straight = Train(_directory.File("straight"));
        Train(_directory.File("first"), "--epochs", "1");
        string resumed = Train(_directory.File("resumed"), "--resume", _directory.File("first"));
        string Scores(string line) => line[..line.IndexOf(" train_s=", StringComparison.Ordinal)];
        Assert.Equal(Scores(straight), Scores(resumed));
        Assert.Contains("epochs=2", resumed);
        TrainingData.AssertSameWeights(ModelLoader.Load(_directory.File("straight/model.sparta")).Model, ModelLoader.Load(_directory.File("resumed/model.sparta")).Model);
    }

    [Fact]
    public void TransferTrainsANewHeadOnAFrozenBase()
    {
        Train(_directory.File("base"));
        File.WriteAllText(_directory.File("head.yaml"), LifecycleFiles.Head(cutAfter: "features"));
        var summary = Sparta("summary", _directory.File("head.yaml"));
        Assert.True(summary.Code == 0, summary.Error);
        Assert.Matches(@"hidden \(dense\)\s+\(None, 8\)\s+40\s+N", summary.Output);
        Assert.Equal($"params total={40 + 32 + 54 + 21} trainable=21 frozen={40 + 32 + 54}", LastLine(summary.Output));

        var (code, output, error) = Sparta("train", _directory.File("head.yaml"), "--out", _directory.File("head-run"), "--quiet");
        Assert.True(code == 0, error);
        var evaluated = Sparta("evaluate", _directory.File("head-run"));
        Assert.Equal(LastLine(evaluated.Output), LastLine(output)[..LastLine(output).IndexOf(" epochs=", StringComparison.Ordinal)]);
    }

    [Fact]
    public void BadModelFilesInputsAndResumesFailInOneLine()
    {
        string run = _directory.File("run");
        Train(run, "--epochs", "1");

        var missing = Sparta("evaluate", _directory.File("none.sparta"));
        Assert.Equal(1, missing.Code);
        Assert.Equal($"sparta evaluate: model file '{_directory.File("none.sparta")}': does not exist", missing.Error.TrimEnd());

        File.WriteAllText(_directory.File("other.onnx.txt"), "x");
        var foreign = Sparta("summary", _directory.File("other.onnx.txt"));
        Assert.Equal(1, foreign.Code);
        Assert.Contains("unknown model format '.txt'", foreign.Error);
        Assert.Single(foreign.Error.TrimEnd().Split('\n'));

        NpyFile.Write(_directory.File("wide.npy"), Tensor.Zeros(5, 7));
        string csv = _directory.File("p.csv");
        var wide = Sparta("predict", run, "--inputs", _directory.File("wide.npy"), "--out", csv);
        Assert.Equal(1, wide.Code);
        Assert.Equal($"sparta predict: model file '{Path.Combine(run, "model.sparta")}': input 'input' takes samples of shape (4), got (5, 7) (5 samples of (7))", wide.Error.TrimEnd());
        Assert.False(File.Exists(csv));

        var unnamed = Sparta("predict", run, "--inputs", "imag=" + _directory.File("x_test.npy"), "--out", csv);
        Assert.Equal(1, unnamed.Code);
        Assert.Contains("has no input 'imag'", unnamed.Error);

        var changed = Sparta("train", _experiment, "--resume", run, "--set", "optimizer.learning_rate.decay_rate=0.5", "--out", _directory.File("r2"));
        Assert.Equal(1, changed.Code);
        Assert.Contains("optimizer.learning_rate.decay_rate: differs from the experiment of the run being resumed", changed.Error);
        Assert.False(Directory.Exists(_directory.File("r2")));

        var targetsOnly = Sparta("evaluate", run, "--targets", _directory.File("y_test.npy"));
        Assert.Equal(2, targetsOnly.Code);
    }

    [Fact]
    public void TheTransferLabPrintsItsTableOnRealFashionMnist()
    {
        string svg = _directory.File("transfer.svg");
        var (code, output, error) = Sparta("lab", "transfer", "--base-epochs", "1", "--epochs", "1", "--little-epochs", "2", "--little", "5",
            "--much", "20", "--base-samples", "40", "--test-samples", "200", "--svg", svg);
        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        int header = Array.FindIndex(lines, l => l.Contains("little data (25)") && l.Contains("much data (100)"));
        Assert.True(header > 0, output);
        string[] strategies = ["head only", "some layers", "all layers", "from scratch"];
        for (int i = 0; i < 4; i++)
        {
            Assert.StartsWith(strategies[i], lines[header + 1 + i]);
            var cells = lines[header + 1 + i][strategies[i].Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(2, cells.Length);
            Assert.All(cells, c => Assert.InRange(c, 0, 1));
        }
        Assert.Contains("data-category=\"much data: from scratch\"", File.ReadAllText(svg));
    }

    [Fact]
    public void TheTransferLabTakesAZooBaseAndRejectsABadOneInOneLine()
    {
        var (code, output, error) = Sparta("lab", "transfer", "--base", "{name: lenet5, resize: 32}", "--base-epochs", "1", "--epochs", "1", "--little-epochs", "1",
            "--little", "2", "--much", "6", "--base-samples", "8", "--test-samples", "50", "--threads", "1");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        int header = Array.FindIndex(lines, l => l.Contains("little data (10)") && l.Contains("much data (30)"));
        Assert.True(header > 0, output);
        Assert.Equal(["head only", "some layers", "all layers", "from scratch"], lines[(header + 1)..(header + 5)].Select(l => l[..14].TrimEnd()));

        foreach (var (spec, message) in new[]
        {
            ("bone_age", "option --base: unknown base 'bone_age'; closest valid names: "),
            ("{name: lenet5, classes: 3}", "option --base: classes: set by the lab"),
            ("{name: inception_v4, width: 9}", "option --base: width: must be in (0, 4], got 9"),
            // A misspelt key is offered only the keys the lab accepts, not classes or include_top, which it refuses.
            ("{name: resnet18, clases: 3}", "option --base: clases: unknown key; did you mean 'resize'?"),
        })
        {
            var bad = Sparta("lab", "transfer", "--base", spec);
            Assert.Equal(2, bad.Code);
            Assert.StartsWith("sparta lab transfer: " + message, bad.Error);
            Assert.Single(bad.Error.TrimEnd().Split('\n'));
        }
    }
}
