using Google.Protobuf;
using Sparta.Kernels;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>
/// ONNX AveragePool with dilations (opset 19; ONNX 1.12's test data has no case): the definition written as loops,
/// and a model built here run by ONNX Runtime and by Sparta's importer.
/// </summary>
public class OnnxDilatedAveragePoolTests
{
    [Theory]
    [InlineData(7, 8, 3, 2, 1, 2, 2, 3, 1, 0, 2, 1, false)]
    [InlineData(9, 6, 2, 3, 2, 1, 3, 2, 0, 2, 1, 0, true)]
    [InlineData(9, 6, 2, 3, 2, 1, 3, 2, 0, 2, 1, 0, false)]
    public void EachOutputIsTheMeanOfTheCellsItsDilatedWindowReads(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int top, int bottom, int left, int right, bool countPadding)
    {
        var window = ConvWindow.Create(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, top, bottom, left, right, dilationHeight, dilationWidth);
        var x = Tensor.Zeros(2, 3, height, width);
        new RandomGenerator(7).FillNormal(x.Span, 0, 1);
        var y = OnnxOperators.DilatedAveragePool(x, window, countPadding);
        Assert.Equal(new[] { 2, 3, window.OutHeight, window.OutWidth }, y.Shape.ToArray());
        var values = x.Span;
        for (int plane = 0; plane < 6; plane++)
            for (int oh = 0; oh < window.OutHeight; oh++)
                for (int ow = 0; ow < window.OutWidth; ow++)
                {
                    double sum = 0;
                    int inside = 0;
                    for (int i = 0; i < kernelHeight; i++)
                        for (int j = 0; j < kernelWidth; j++)
                        {
                            int h = oh * strideHeight - top + i * dilationHeight, w = ow * strideWidth - left + j * dilationWidth;
                            if (h < 0 || h >= height || w < 0 || w >= width) continue;
                            sum += values[(plane * height + h) * width + w];
                            inside++;
                        }
                    double expected = sum / (countPadding ? kernelHeight * kernelWidth : inside);
                    Assert.Equal(expected, y.Span[(plane * window.OutHeight + oh) * window.OutWidth + ow], 5);
                }
    }

    [Theory]
    [InlineData(0, new long[] { 1, 1 }, new long[] { 0, 0, 0, 0 })]
    [InlineData(0, new long[] { 2, 1 }, new long[] { 1, 1, 2, 1 })]
    [InlineData(1, new long[] { 1, 2 }, new long[] { 2, 0, 1, 1 })]
    // ONNX Runtime takes pads smaller than the kernel (3, 2).
    public void AnImportedModelGivesOnnxRuntimesOutputs(int countIncludePad, long[] strides, long[] pads)
    {
        using var directory = new TempDirectory();
        string path = directory.File("pool.onnx");
        var node = new Proto.NodeProto { OpType = "AveragePool", Name = "pool" };
        node.Input.Add("x");
        node.Output.Add("y");
        node.Attribute.Add(OnnxGraphWriter.Ints("kernel_shape", 3, 2));
        node.Attribute.Add(OnnxGraphWriter.Ints("dilations", 2, 3));
        node.Attribute.Add(OnnxGraphWriter.Ints("strides", strides));
        node.Attribute.Add(OnnxGraphWriter.Ints("pads", pads));
        node.Attribute.Add(OnnxGraphWriter.Int("count_include_pad", countIncludePad));
        var graph = new Proto.GraphProto { Name = "dilated_average_pool" };
        graph.Node.Add(node);
        graph.Input.Add(Value("x", 2, 3, 11, 10));
        graph.Output.Add(Value("y"));
        var model = new Proto.ModelProto { IrVersion = 9, Graph = graph };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = "", Version = 19 });
        File.WriteAllBytes(path, model.ToByteArray());

        var x = Tensor.Zeros(2, 3, 11, 10);
        new RandomGenerator(3).FillNormal(x.Span, 0, 1);
        var expected = OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { ["x"] = x });
        OnnxRuntimeOracle.AssertClose(expected, OnnxImport.Load(path).Forward(x), "AveragePool with dilations");
    }

    private static Proto.ValueInfoProto Value(string name, params long[] dims)
    {
        var type = new Proto.TypeProto.Types.Tensor { ElemType = (int)Proto.TensorProto.Types.DataType.Float };
        if (dims.Length > 0)
        {
            type.Shape = new Proto.TensorShapeProto();
            foreach (long d in dims) type.Shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new Proto.ValueInfoProto { Name = name, Type = new Proto.TypeProto { TensorType = type } };
    }
}
