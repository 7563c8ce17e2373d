using System.Globalization;
using Sparta.Cli;
using Sparta.Tensors;
using Sparta.Tests.Experiments;
using Sparta.Training.Callbacks;

namespace Sparta.Tests.Diagnostics;

public sealed class LabLearningRateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-lab-lr-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Three separable classes in 4 dimensions, and an experiment on them with Adam at 0.01.</summary>
    private string WriteExperiment()
    {
        BlobFiles.Write(_directory, 150, new RandomGenerator(5));
        string path = Path.Combine(_directory, "exp.yaml");
        File.WriteAllText(path, """
            name: rates
            seed: 1
            epochs: 3
            batch_size: 16
            data:
              train: {inputs: x.npy, targets: y.npy}
              validation_split: 0.3
            model:
              layers: [{name: dense, units: 16, activation: relu}, {name: dense, units: 3}]
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {name: adam, learning_rate: 0.01}
            """);
        return path;
    }

    private static (int Code, string[] Lines, string Error) Sparta(params string[] words)
    {
        var (code, output, error) = Lifecycle.LifecycleFiles.Command(words);
        return (code, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), error);
    }

    [Fact]
    public void TooSmallTooLargeAndAboutRightAreMarked()
    {
        string experiment = WriteExperiment();
        var (code, lines, error) = Sparta("lab", "learning-rate", experiment, "--rates", "1e-5,1e3,0.01");
        Assert.True(code == 0, error);
        Assert.Equal(["== learning rate 1e-05 ==", "== learning rate 1e+03 ==", "== learning rate 0.01 =="], lines.Where(l => l.StartsWith("==")));
        Assert.Equal(9, lines.Count(l => l.StartsWith("epoch 00")));
        var rows = lines.SkipWhile(l => !l.StartsWith("rate ")).Skip(1).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.EndsWith("the loss barely moves: too small", rows[0]);
        Assert.Contains("diverged: too large (training loss ", rows[1]);
        Assert.EndsWith("learns; learned best", rows[2]);

        // The about-right row is the experiment's own run: `sparta train` gives the same final loss.
        string run = Path.Combine(_directory, "run");
        Assert.Equal(0, Sparta("train", experiment, "--out", run, "--quiet").Code);
        var history = HistoryLogger.FromJson(File.ReadAllText(Path.Combine(run, "history.json")));
        double reported = double.Parse(rows[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
        Assert.Equal(history["loss"][^1], reported, 3e-4 * history["loss"][^1]);
    }

    [Fact]
    public void DefaultRatesComeFromTheExperimentsRate()
    {
        var (code, lines, error) = Sparta("lab", "learning-rate", WriteExperiment(), "--epochs", "1");
        Assert.True(code == 0, error);
        Assert.Equal(["== learning rate 1e-05 ==", "== learning rate 10 ==", "== learning rate 0.01 =="], lines.Where(l => l.StartsWith("==")));
        Assert.Equal(3, lines.Count(l => l.StartsWith("epoch 001")));
    }

    [Fact]
    public void AFullBatchOptimizerIsRefusedInOneLineByTheLabsThatStepMiniBatches()
    {
        string experiment = WriteExperiment();
        foreach (string[] command in new[] { new[] { "lab", "learning-rate" }, ["lab", "lr-finder"] })
        {
            var (code, _, error) = Sparta([.. command, experiment, "--set", "optimizer.name=lbfgs"]);
            Assert.Equal(1, code);
            Assert.StartsWith($"sparta {string.Join(' ', command)}: optimizer 'lbfgs' minimizes the full batch", error);
            Assert.Single(error.Trim().Split('\n'));
        }
    }

    [Fact]
    public void BadRatesAreNamed()
    {
        var (code, _, error) = Sparta("lab", "learning-rate", WriteExperiment(), "--rates", "0.1,fast");
        Assert.NotEqual(0, code);
        Assert.Contains("--rates", error);
        Assert.Contains("0.1,fast", error);
    }
}
