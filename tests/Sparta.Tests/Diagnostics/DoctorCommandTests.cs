using Sparta.Cli;
using Sparta.Tensors;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Diagnostics;

public sealed class DoctorCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-doctor-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Three separable classes in 4 dimensions as .npy files, and an experiment whose last layer starts with weights of <paramref name="lastStd"/>.</summary>
    private string WriteExperiment(string lastStd, string rate)
    {
        BlobFiles.Write(_directory, 90, new RandomGenerator(5));
        string path = Path.Combine(_directory, "exp.yaml");
        File.WriteAllText(path, $$$"""
            name: doctor
            seed: 1
            epochs: 1
            batch_size: 16
            data:
              train: {inputs: x.npy, targets: y.npy}
            model:
              layers:
                - {name: dense, units: 16, activation: relu, kernel_regularizer: {name: l2, l2: 0.01}}
                - {name: dense, units: 3, kernel_initializer: {name: random_normal, stddev: {{{lastStd}}}}}
            loss: sparse_categorical_crossentropy
            optimizer: {name: adam, learning_rate: {{{rate}}}}
            """);
        return path;
    }

    private static (int Code, string[] Lines, string Error) Doctor(params string[] words)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["doctor", .. words], output, error);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    [Fact]
    public void AHealthyExperimentPassesEveryCheck()
    {
        var (code, lines, error) = Doctor(WriteExperiment("0.001", "0.05"));
        Assert.True(code == 0, error + string.Join("\n", lines));
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("pass", l));
    }

    [Fact]
    public void ProblemsAreNamedAndTheExitCodeSaysSo()
    {
        var (code, lines, _) = Doctor(WriteExperiment("10", "1e-7"), "--max-epochs", "5");
        Assert.Equal(1, code);
        Assert.StartsWith("FAIL  initial loss", lines[0]);
        Assert.StartsWith("FAIL  overfit a tiny subset", lines[2]);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var (code, _, error) = Doctor(Path.Combine(_directory, "nope.yaml"));
        Assert.NotEqual(0, code);
        Assert.Contains("nope.yaml", error);
    }
}
