using Sparta.Cli;
using Sparta.Data.Loaders;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Tests.Onnx;

namespace Sparta.Tests.Cli;

/// <summary>A model with two outputs (Keras' <c>Model(inputs, [a, b])</c>): saved, predicted from the command line, exported to ONNX.</summary>
public sealed class MultiOutputCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Model TwoHeads()
    {
        var input = Model.Input([5], "features");
        var trunk = new Dense(8, "relu", name: "trunk").Call(input);
        return new Model([input], [new Dense(3, "softmax", name: "kind").Call(trunk), new Dense(2, name: "size").Call(trunk)], "two_heads", seed: 4);
    }

    private static Tensor Samples(int count)
    {
        var x = Tensor.Zeros(count, 5);
        new RandomGenerator(3).FillUniform(x.Span, -2, 2);
        return x;
    }

    [Fact]
    public void EachOutputIsPredictedIntoItsOwnFileAndEqualsTheForwardPass()
    {
        var model = TwoHeads();
        Assert.Equal(["kind", "size"], model.OutputNames);
        string path = _directory.File("heads.sparta"), inputs = _directory.File("x.npy");
        ModelFile.Save(path, model);
        var x = Samples(300); // more than one batch of 256
        NpyFile.Write(inputs, x);
        int code = CommandLine.Run(["predict", path, "--inputs", inputs, "--out", _directory.File("pred.npy")], new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        var expected = ModelFile.Load(path).Model.ForwardOutputs([x]);
        Assert.Equal(expected[0].ToArray(), NpyFile.Read(_directory.File("pred.kind.npy")).ToArray());
        Assert.Equal(expected[1].ToArray(), NpyFile.Read(_directory.File("pred.size.npy")).ToArray());
        Assert.False(File.Exists(_directory.File("pred.npy")));

        var error = new StringWriter();
        Assert.NotEqual(0, CommandLine.Run(["evaluate", path, "--inputs", inputs, "--targets", inputs, "--loss", "mse"], new StringWriter(), error));
        Assert.Contains("has 2 outputs (kind, size), scored by the loss, weight and metrics of each it was trained with; remove --loss and --metrics", error.ToString());
        error = new StringWriter();
        Assert.NotEqual(0, CommandLine.Run(["evaluate", path], new StringWriter(), error));
        Assert.Contains("has 2 outputs (kind, size) and records no loss for each", error.ToString());
    }

    [Fact]
    public void TheExportHasOneGraphOutputPerModelOutputAndOnnxRuntimeAgrees()
    {
        var model = TwoHeads();
        string onnx = _directory.File("heads.onnx");
        model.ExportOnnx(onnx);
        OnnxChecker.AssertValid(onnx);
        var x = Samples(7);
        var runtime = OnnxRuntimeOracle.RunOutputs(onnx, new Dictionary<string, Tensor> { ["features"] = x });
        Assert.Equal(["kind", "size"], runtime.Select(r => r.Key));
        var outputs = model.ForwardOutputs([x]);
        OnnxRuntimeOracle.AssertClose(outputs[0], runtime[0].Value, "kind");
        OnnxRuntimeOracle.AssertClose(outputs[1], runtime[1].Value, "size");
    }

    [Fact]
    public void AOneOutputCallOnATwoOutputModelNamesTheOutputs()
    {
        var model = TwoHeads();
        Assert.Contains("has 2 outputs (kind, size)", Assert.Throws<InvalidOperationException>(() => model.Forward(Samples(2))).Message);
        Assert.Contains("has 2 outputs (kind, size)", Assert.Throws<InvalidOperationException>(() => model.OutputShape).Message);
        Assert.Contains("the same tensor is given twice", Assert.Throws<ArgumentException>(() =>
        {
            var input = Model.Input([2]);
            var y = new Dense(1).Call(input);
            return new Model([input], [y, y]);
        }).Message);
    }
}
