using Sparta.Data.Loaders;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;

namespace Sparta.Tests.Cli;

/// <summary>
/// The command line's tests run commands in the test process, beside other tests: a command's <c>--threads</c> is its
/// own (<see cref="Parallelism.Scope"/>), so the code that ran it keeps the thread count it had.
/// </summary>
public sealed class CommandThreadCountTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>The words of <paramref name="command"/> on a small ONNX model with 20 samples and their targets.</summary>
    private string[] Words(string command)
    {
        var input = Model.Input([3], "features");
        string onnx = _directory.File("model.onnx");
        OnnxExport.Save(new Model(input, new Dense(2).Call(input), "small", seed: 3), onnx);
        string x = _directory.File("x.npy"), y = _directory.File("y.npy");
        NpyFile.Write(x, Tensor.Full(0.5f, new Shape(20, 3)));
        NpyFile.Write(y, Tensor.Full(1f, new Shape(20, 2)));
        return command == "evaluate"
            ? ["evaluate", onnx, "--inputs", x, "--targets", y, "--loss", "mse"]
            : ["predict", onnx, "--inputs", x, "--out", _directory.File("predictions.npy")];
    }

    public static TheoryData<string> Commands => ["evaluate", "predict"];

    [Theory, MemberData(nameof(Commands))]
    public void ACommandLeavesTheThreadCountOfTheCodeThatRanItAsItFoundIt(string command)
    {
        var words = Words(command);
        // The test's own scope: other tests running beside it cannot change what it reads.
        using var threadCount = Parallelism.Scope(3);
        var (code, _, error) = Lifecycle.LifecycleFiles.Command([.. words, "--threads", "1"]);
        Assert.True(code == 0, error);
        Assert.Equal(3, Parallelism.ThreadCount);

        // Nor does a command that fails after reading its options.
        (code, _, _) = Lifecycle.LifecycleFiles.Command([.. words.Select(w => w.EndsWith("model.onnx", StringComparison.Ordinal) ? w + ".missing" : w), "--threads", "2"]);
        Assert.NotEqual(0, code);
        Assert.Equal(3, Parallelism.ThreadCount);
    }
}
