using Sparta.Tests.Data;
using Sparta.Tests.Experiments;
using static Sparta.Tests.Lifecycle.LifecycleFiles;

namespace Sparta.Tests.Lifecycle;

/// <summary><c>sparta evaluate --inputs --targets</c> shapes the targets as training did: one-hot rows, or the inputs themselves.</summary>
public sealed class EvaluateTargetsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Trains <paramref name="text"/> into a run and returns its result line (scores only).</summary>
    private string TrainRun(string text, string run)
    {
        string experiment = ExperimentText.Write(_directory.Path, text);
        var (code, output, error) = Command("train", experiment, "--out", _directory.File(run), "--quiet", "--threads", "1");
        Assert.True(code == 0, error);
        string line = LastLine(output);
        return line[..line.IndexOf(" epochs=", StringComparison.Ordinal)];
    }

    [Fact]
    public void OneHotTargetsAreScoredAsInTraining()
    {
        // The slides' sigmoid + MSE classifier: the class labels become one-hot rows for the squared error.
        string trained = TrainRun(ExperimentText.Small
            .Replace("data:\n", "data:\n  one_hot: true\n", StringComparison.Ordinal)
            .Replace("- {name: dense, units: 3}", "- {name: dense, units: 3, activation: sigmoid}", StringComparison.Ordinal)
            .Replace("loss: sparse_categorical_crossentropy", "loss: mse", StringComparison.Ordinal), "one-hot");
        var (code, output, error) = Command("evaluate", _directory.File("one-hot"), "--inputs", _directory.File("x_test.npy"), "--targets", _directory.File("y_test.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(trained, LastLine(output));
    }

    [Fact]
    public void AnAutoencoderIsScoredOnItsInputsWithoutTargets()
    {
        string trained = TrainRun("""
            name: autoencoder
            seed: 3
            epochs: 2
            batch_size: 16
            data:
              train: {inputs: x_train.npy, targets: y_train.npy}
              test: {inputs: x_test.npy, targets: y_test.npy}
              preprocessing: [standardize]
              inputs_as_targets: true
            model:
              layers: [{name: dense, units: 2, activation: tanh}, {name: dense, units: 4}]
            loss: mse
            metrics: [mae]
            optimizer: {name: adam, learning_rate: 0.01}
            """, "autoencoder");
        var (code, output, error) = Command("evaluate", _directory.File("autoencoder"), "--inputs", _directory.File("x_test.npy"));
        Assert.True(code == 0, error);
        Assert.Equal(trained, LastLine(output));

        // A classifier still needs its targets, in one line.
        TrainRun(ExperimentText.Small, "classifier");
        var missing = Command("evaluate", _directory.File("classifier"), "--inputs", _directory.File("x_test.npy"));
        Assert.Equal(1, missing.Code);
        Assert.Single(missing.Error.TrimEnd().Split('\n'));
        Assert.Contains("give the targets", missing.Error);
    }
}
