using Sparta.Cli;
using Sparta.Data.Loaders;
using Sparta.Tensors;

namespace Sparta.Tests.Diagnostics;

/// <summary>
/// <c>sparta doctor RUN_DIR</c> on runs trained to show one problem each: the doctor must name it,
/// and find nothing in a healthy run.
/// </summary>
public sealed class DoctorRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-doctor-run-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Three classes in 4 dimensions, separable (feature = label is shifted by 3) or with random labels (nothing to learn).</summary>
    private void WriteData(int count, bool randomLabels)
    {
        var random = new RandomGenerator(5);
        var x = new float[count * 4];
        var y = new float[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 3;
            y[i] = randomLabels ? random.NextInt(3) : label;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (d == label ? 3f : 0f) + (float)random.Normal();
        }
        NpyFile.Write(Path.Combine(_directory, "x.npy"), Tensor.FromArray(x, count, 4));
        NpyFile.Write(Path.Combine(_directory, "y.npy"), Tensor.FromArray(y, count));
    }

    /// <summary>Trains the experiment and returns what <c>sparta doctor RUN_DIR</c> prints and its exit code.</summary>
    private (int Code, string Output) TrainThenDiagnose(string layers, string optimizer, int epochs, int count = 150, bool randomLabels = false)
    {
        WriteData(count, randomLabels);
        string experiment = Path.Combine(_directory, "exp.yaml");
        File.WriteAllText(experiment, $"""
            name: built
            seed: 1
            epochs: {epochs}
            batch_size: 16
            data:
              train: {"{"}inputs: x.npy, targets: y.npy{"}"}
              validation_split: 0.3
            model:
              layers: {layers}
            loss: sparse_categorical_crossentropy
            metrics: [accuracy]
            optimizer: {optimizer}
            """);
        string run = Path.Combine(_directory, "run");
        var (train, trainError) = (new StringWriter(), new StringWriter());
        Assert.True(CommandLine.Run(["train", experiment, "--out", run, "--quiet"], train, trainError) == 0, trainError.ToString());
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["doctor", run], output, error);
        Assert.True(error.ToString() == "", error.ToString());
        return (code, output.ToString());
    }

    private const string Small = "[{name: dense, units: 16, activation: relu}, {name: dense, units: 3}]";

    [Fact]
    public void AHealthyRunHasNoFinding()
    {
        var (code, output) = TrainThenDiagnose(Small, "{name: adam, learning_rate: 0.01}", epochs: 8);
        Assert.True(code == 0, output);
        Assert.Contains("no problem found", output);
    }

    [Fact]
    public void ARateTooSmallIsNamed()
    {
        var (code, output) = TrainThenDiagnose(Small, "{name: adam, learning_rate: 1e-6}", epochs: 3);
        Assert.Equal(1, code);
        Assert.Contains("learning rate too small: training loss barely moves", output);
        Assert.Contains("dense/kernel in epoch 3: ", output); // the update ratio tells the same story
    }

    [Fact]
    public void ADivergingRateIsNamed()
    {
        var (code, output) = TrainThenDiagnose(Small, "{name: sgd, learning_rate: 100}", epochs: 4);
        Assert.Equal(1, code);
        Assert.Contains("divergence: training loss", output);
    }

    [Fact]
    public void ABigModelOnATinyRandomSetOverfits()
    {
        const string big = "[{name: dense, units: 128, activation: relu}, {name: dense, units: 128, activation: relu}, {name: dense, units: 3}]";
        var (code, output) = TrainThenDiagnose(big, "{name: adam, learning_rate: 0.01}", epochs: 60, count: 45, randomLabels: true);
        Assert.Equal(1, code);
        Assert.Contains("overfitting: validation loss rose", output);
    }

    [Fact]
    public void SaturatedTanhUnitsAreNamed()
    {
        // Weights of std 5 on inputs of size ~3 put the pre-activations in the tens: tanh is flat there.
        const string large = "[{name: dense, units: 32, activation: tanh, kernel_initializer: {name: random_normal, stddev: 5}}, {name: dense, units: 3}]";
        var (code, output) = TrainThenDiagnose(large, "{name: sgd, learning_rate: 0.01}", epochs: 2);
        Assert.Equal(1, code);
        Assert.Contains("saturated units: layer dense (tanh): ", output);
        Assert.DoesNotContain("layer dense_1", output); // the logits layer has no saturating activation
    }

    [Fact]
    public void DeadReluUnitsAreNamed()
    {
        const string dead = "[{name: dense, units: 16, activation: relu, bias_initializer: {name: constant, value: -100}}, {name: dense, units: 3}]";
        var (code, output) = TrainThenDiagnose(dead, "{name: adam, learning_rate: 0.01}", epochs: 2);
        Assert.Equal(1, code);
        Assert.Contains("dead units: layer dense (relu): 100% of its units are zero", output);
    }

    [Fact]
    public void ADirectoryWithoutAHistoryIsNamed()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        Assert.NotEqual(0, CommandLine.Run(["doctor", _directory], output, error));
        Assert.Contains("no history.json", error.ToString());
    }
}
