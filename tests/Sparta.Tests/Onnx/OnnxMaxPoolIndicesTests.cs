using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;
using static Sparta.Tests.Onnx.OnnxTestGraphs;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>
/// MaxPool's second output, Indices (int64 positions in the input flattened whole, each plane row-major or,
/// with storage_order 1, column-major): models built here, with borders, strides, dilations and ceil_mode,
/// give ONNX Runtime's values and positions once imported, and again once exported back.
/// </summary>
public class OnnxMaxPoolIndicesTests
{
    [Theory]
    [InlineData(0, 0, new long[] { 5, 6 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 0, 0, 0, 0 })]
    [InlineData(1, 0, new long[] { 5, 6 }, new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 0, 0, 0, 0 })]
    [InlineData(0, 1, new long[] { 7, 6 }, new long[] { 2, 1 }, new long[] { 2, 2 }, new long[] { 1, 0, 1, 1 })]
    [InlineData(1, 0, new long[] { 7, 8 }, new long[] { 1, 2 }, new long[] { 1, 2 }, new long[] { 1, 1, 1, 0 })]
    [InlineData(0, 0, new long[] { 9 }, new long[] { 2 }, new long[] { 2 }, new long[] { 1, 1 })]
    [InlineData(1, 1, new long[] { 10 }, new long[] { 3 }, new long[] { 1 }, new long[] { 0, 1 })]
    public void ValuesAndPositionsAreOnnxRuntimes(int storageOrder, int ceilMode, long[] spatial, long[] strides, long[] dilations, long[] pads)
    {
        using var directory = new TempDirectory();
        string path = directory.File("pool.onnx");
        long[] kernel = spatial.Select(_ => 3L).ToArray();
        long[] dims = [2, 3, .. spatial];
        OnnxTestGraphs.Save(path, Graph(dims, kernel, strides, dilations, pads, storageOrder, ceilMode), 13);

        var x = Tensor.Zeros(dims.Select(d => (int)d).ToArray());
        new RandomGenerator(11).FillNormal(x.Span, 0, 1);
        var inputs = new Dictionary<string, Tensor> { ["x"] = x };
        var expected = OnnxRuntimeOracle.RunOutputs(path, inputs);
        var model = OnnxImport.Load(path);
        Assert.Equal(["y", "indices"], model.OutputNames);
        var actual = model.ForwardOutputs([x]);
        OnnxRuntimeOracle.AssertClose(expected[0].Value, actual[0], "y");
        Assert.Equal(expected[1].Value.ToArray(), actual[1].ToArray());

        // Exported back, the indices are cast to float (as Sparta computes them), so the file reads as its import did.
        string exported = directory.File("exported.onnx");
        model.ExportOnnx(exported);
        OnnxChecker.AssertValid(exported);
        var again = OnnxRuntimeOracle.RunOutputs(exported, inputs);
        OnnxRuntimeOracle.AssertClose(expected[0].Value, again[0].Value, "exported y");
        Assert.Equal(expected[1].Value.ToArray(), again[1].Value.ToArray());
    }

    [Fact]
    public void ASecondOutputOfAnotherOperatorIsRefusedNamingIt()
    {
        using var directory = new TempDirectory();
        string path = directory.File("dropout.onnx");
        var node = new Proto.NodeProto { OpType = "Dropout", Name = "drop" };
        node.Input.Add("x");
        node.Output.AddRange(["y", "mask"]);
        var graph = new Proto.GraphProto { Name = "mask" };
        graph.Node.Add(node);
        graph.Input.Add(Value("x", Proto.TensorProto.Types.DataType.Float, 1, 4));
        graph.Output.Add(Value("y", Proto.TensorProto.Types.DataType.Float));
        graph.Output.Add(Value("mask", Proto.TensorProto.Types.DataType.Bool));
        OnnxTestGraphs.Save(path, graph, 13);
        var error = Assert.Throws<OnnxException>(() => OnnxImport.Load(path));
        Assert.Contains("node 'drop' (Dropout): its output 1 ('mask') is used", error.Message);
    }

    private static Proto.GraphProto Graph(long[] dims, long[] kernel, long[] strides, long[] dilations, long[] pads, int storageOrder, int ceilMode)
    {
        var node = new Proto.NodeProto { OpType = "MaxPool", Name = "pool" };
        node.Input.Add("x");
        node.Output.AddRange(["y", "indices"]);
        node.Attribute.Add(OnnxGraphWriter.Ints("kernel_shape", kernel));
        node.Attribute.Add(OnnxGraphWriter.Ints("strides", strides));
        node.Attribute.Add(OnnxGraphWriter.Ints("dilations", dilations));
        node.Attribute.Add(OnnxGraphWriter.Ints("pads", pads));
        node.Attribute.Add(OnnxGraphWriter.Int("storage_order", storageOrder));
        node.Attribute.Add(OnnxGraphWriter.Int("ceil_mode", ceilMode));
        var graph = new Proto.GraphProto { Name = "argmax_pool" };
        graph.Node.Add(node);
        graph.Input.Add(Value("x", Proto.TensorProto.Types.DataType.Float, dims));
        graph.Output.Add(Value("y", Proto.TensorProto.Types.DataType.Float));
        graph.Output.Add(Value("indices", Proto.TensorProto.Types.DataType.Int64));
        return graph;
    }
}
