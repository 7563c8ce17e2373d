using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;
using static Sparta.Tests.Onnx.OnnxTestGraphs;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>
/// Pad's reflect and edge modes (PyTorch's ReflectionPad2d and ReplicationPad2d), beside ONNX Runtime on models built
/// here with uneven and cropping pads, imported and exported back; pads a reflection cannot take are one line.
/// </summary>
public class OnnxPadModeTests
{
    [Theory]
    [InlineData("reflect", new long[] { 0, 0, 2, 1, 0, 0, 1, 3 })]
    [InlineData("edge", new long[] { 0, 0, 2, 1, 0, 0, 1, 3 })]
    [InlineData("reflect", new long[] { 0, 1, 0, 2, 0, 0, -1, 1 })]
    [InlineData("edge", new long[] { 0, 1, 3, 0, 0, 2, 0, -2 })]
    public void AnImportedPadGivesOnnxRuntimesOutputs(string mode, long[] pads)
    {
        using var directory = new TempDirectory();
        string path = directory.File("pad.onnx");
        OnnxTestGraphs.Save(path, Graph(mode, pads), 13);
        var x = Tensor.Zeros(2, 3, 5, 6);
        new RandomGenerator(5).FillNormal(x.Span, 0, 1);
        var inputs = new Dictionary<string, Tensor> { ["x"] = x };
        var expected = OnnxRuntimeOracle.Run(path, inputs);
        var model = OnnxImport.Load(path);
        OnnxRuntimeOracle.AssertClose(expected, model.Forward(x), $"pad {mode}");

        string exported = directory.File("exported.onnx");
        model.ExportOnnx(exported);
        OnnxChecker.AssertValid(exported);
        OnnxRuntimeOracle.AssertClose(expected, OnnxRuntimeOracle.Run(exported, inputs), $"exported pad {mode}");
    }

    [Fact]
    public void AReflectionWiderThanTheAxisIsRefusedInOneLine()
    {
        using var directory = new TempDirectory();
        string path = directory.File("pad.onnx");
        OnnxTestGraphs.Save(path, Graph("reflect", [0, 0, 5, 0, 0, 0, 0, 0]), 13);
        var error = Assert.Throws<OnnxException>(() => OnnxImport.Load(path));
        Assert.Contains("node 'pad' (Pad): reflect pads of 5 and 0 cells need more cells along axis 2, which has 5", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void WrapModeIsRefusedInOneLineNamingTheNodeAndTheMode()
    {
        // Opset 19's wrap mode, which ONNX Runtime computes; Sparta has no form of it.
        using var directory = new TempDirectory();
        string path = directory.File("wrap.onnx");
        OnnxTestGraphs.Save(path, Graph("wrap", [0, 0, 2, 1, 0, 0, 1, 3]), 19);
        var x = Tensor.Zeros(2, 3, 5, 6);
        Assert.Equal([2, 3, 8, 10], OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { ["x"] = x }).Shape.ToArray());
        var error = Assert.Throws<OnnxException>(() => OnnxImport.Load(path));
        Assert.Equal($"{path}: node 'pad' (Pad): mode 'wrap' is not supported (constant, reflect and edge are)", error.Message);
    }

    private static Proto.GraphProto Graph(string mode, long[] pads)
    {
        var node = new Proto.NodeProto { OpType = "Pad", Name = "pad" };
        node.Input.AddRange(["x", "pads"]);
        node.Output.Add("y");
        node.Attribute.Add(OnnxGraphWriter.Str("mode", mode));
        var graph = new Proto.GraphProto { Name = "pad_" + mode };
        graph.Node.Add(node);
        var padValues = new Proto.TensorProto { Name = "pads", DataType = (int)Proto.TensorProto.Types.DataType.Int64 };
        padValues.Dims.Add(pads.Length);
        padValues.Int64Data.AddRange(pads);
        graph.Initializer.Add(padValues);
        graph.Input.Add(Value("x", Proto.TensorProto.Types.DataType.Float, 2, 3, 5, 6));
        graph.Output.Add(Value("y"));
        return graph;
    }
}
