using Sparta.Cli;
using Sparta.Tensors;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Diagnostics;

public sealed class DoctorCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-doctor-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteExperiment(string lastStd, string rate) => WriteExperiment(_directory, lastStd, rate);

    /// <summary>Three separable classes in 4 dimensions as .npy files, and an experiment whose last layer starts with weights of <paramref name="lastStd"/>.</summary>
    internal static string WriteExperiment(string directory, string lastStd, string rate)
    {
        BlobFiles.Write(directory, 90, new RandomGenerator(5));
        string path = Path.Combine(directory, "exp.yaml");
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

    internal static (int Code, string[] Lines, string Error) Doctor(params string[] words)
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

/// <summary>The doctor with a bad SPARTA_VECTOR_WIDTH (process-wide, so with the other width tests, alone).</summary>
[Collection(Sparta.Tests.Kernels.VectorWidthCollection.Name)]
public sealed class DoctorVectorWidthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sparta-doctor-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ABadVectorWidthIsAProblemTheDoctorReportsAndRunsPast()
    {
        // Before, the doctor refused to run, as every command does: the one command that diagnoses the set-up.
        int before = VectorWidth.Bits;
        try
        {
            VectorWidth.ReadVariable("300");
            var (code, lines, error) = DoctorCommandTests.Doctor(DoctorCommandTests.WriteExperiment(_directory, "0.001", "0.05"));
            Assert.Equal("", error);
            Assert.Equal(1, code);
            Assert.Equal("FAIL  vector width: SPARTA_VECTOR_WIDTH=300: not a vector width; use 512, 256 or 128; other commands refuse to run, "
                + $"these checks ran at the processor's {VectorWidth.Hardware} bits", lines[0]);
            Assert.Equal(4, lines.Length);
            Assert.All(lines[1..], l => Assert.StartsWith("pass", l));
        }
        finally
        {
            VectorWidth.Bits = before;
        }
    }

    [Fact]
    public void OtherCommandsStillRefuseABadVectorWidth()
    {
        int before = VectorWidth.Bits;
        try
        {
            VectorWidth.ReadVariable("wide");
            var (output, error) = (new StringWriter(), new StringWriter());
            int code = Sparta.Cli.CommandLine.Run(["train", DoctorCommandTests.WriteExperiment(_directory, "0.001", "0.05")], output, error);
            Assert.NotEqual(0, code);
            Assert.Equal("sparta train: SPARTA_VECTOR_WIDTH=wide: not a vector width; use 512, 256 or 128", error.ToString().TrimEnd());
        }
        finally
        {
            VectorWidth.Bits = before;
        }
    }
}
