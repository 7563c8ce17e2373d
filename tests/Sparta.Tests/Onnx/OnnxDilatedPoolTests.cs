using Google.Protobuf;
using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>
/// Pooling whose window reads every d-th cell (MaxPool's dilations; AveragePool's from opset 19; ONNX 1.12's
/// test data has only one such case and none with ceil_mode): the definition written as loops, and models
/// built here, with and without ceil_mode and count_include_pad, run by ONNX Runtime and by Sparta's importer.
/// </summary>
public class OnnxDilatedPoolTests
{
    [Theory]
    [InlineData(7, 8, 3, 2, 1, 2, 2, 3, 1, 0, 2, 1)]
    [InlineData(9, 6, 2, 3, 2, 1, 3, 2, 0, 2, 1, 0)]
    [InlineData(4, 4, 2, 2, 1, 1, 2, 2, 0, 0, 0, 0)]
    public void EachOutputIsTheMaximumAndTheMeanOfTheCellsItsDilatedWindowReads(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int top, int bottom, int left, int right)
    {
        var window = ConvWindow.Create(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, top, bottom, left, right, dilationHeight, dilationWidth);
        var x = Tensor.Zeros(2, 3, height, width);
        new RandomGenerator(7).FillNormal(x.Span, 0, 1);
        var max = x.MaxPool2D(window);
        var mean = x.AveragePool2D(window);
        Assert.Equal(new[] { 2, 3, window.OutHeight, window.OutWidth }, max.Shape.ToArray());
        Assert.Equal(max.Shape, mean.Shape);
        var values = x.Span;
        for (int plane = 0; plane < 6; plane++)
            for (int oh = 0; oh < window.OutHeight; oh++)
                for (int ow = 0; ow < window.OutWidth; ow++)
                {
                    float largest = float.NegativeInfinity;
                    double sum = 0;
                    int inside = 0;
                    for (int i = 0; i < kernelHeight; i++)
                        for (int j = 0; j < kernelWidth; j++)
                        {
                            int h = oh * strideHeight - top + i * dilationHeight, w = ow * strideWidth - left + j * dilationWidth;
                            if (h < 0 || h >= height || w < 0 || w >= width) continue;
                            float v = values[(plane * height + h) * width + w];
                            largest = Math.Max(largest, v);
                            sum += v;
                            inside++;
                        }
                    int o = (plane * window.OutHeight + oh) * window.OutWidth + ow;
                    Assert.Equal(largest, max.Span[o]);
                    Assert.Equal(sum / inside, mean.Span[o], 5);
                }
    }

    [Theory]
    [InlineData("MaxPool", 0, 0, new long[] { 1, 1 }, new long[] { 0, 0, 0, 0 })]
    [InlineData("MaxPool", 1, 0, new long[] { 2, 2 }, new long[] { 0, 0, 0, 0 })]
    [InlineData("MaxPool", 1, 0, new long[] { 3, 2 }, new long[] { 1, 1, 2, 0 })]
    [InlineData("AveragePool", 0, 0, new long[] { 1, 1 }, new long[] { 0, 0, 0, 0 })]
    [InlineData("AveragePool", 0, 0, new long[] { 2, 1 }, new long[] { 1, 1, 2, 1 })]
    [InlineData("AveragePool", 0, 1, new long[] { 1, 2 }, new long[] { 2, 0, 1, 1 })]
    [InlineData("AveragePool", 1, 0, new long[] { 2, 2 }, new long[] { 0, 0, 0, 0 })]
    [InlineData("AveragePool", 1, 0, new long[] { 3, 2 }, new long[] { 1, 1, 2, 0 })]
    [InlineData("AveragePool", 1, 1, new long[] { 3, 2 }, new long[] { 1, 1, 2, 0 })]
    // ONNX Runtime takes pads smaller than the kernel (3, 2); strides 2 and 3 leave a partial last window that ceil_mode keeps.
    public void AnImportedModelGivesOnnxRuntimesOutputs(string op, int ceilMode, int countIncludePad, long[] strides, long[] pads)
    {
        using var directory = new TempDirectory();
        string path = directory.File("pool.onnx");
        var node = new Proto.NodeProto { OpType = op, Name = "pool" };
        node.Input.Add("x");
        node.Output.Add("y");
        node.Attribute.Add(OnnxGraphWriter.Ints("kernel_shape", 3, 2));
        node.Attribute.Add(OnnxGraphWriter.Ints("dilations", 2, 3));
        node.Attribute.Add(OnnxGraphWriter.Ints("strides", strides));
        node.Attribute.Add(OnnxGraphWriter.Ints("pads", pads));
        node.Attribute.Add(OnnxGraphWriter.Int("ceil_mode", ceilMode));
        if (op == "AveragePool") node.Attribute.Add(OnnxGraphWriter.Int("count_include_pad", countIncludePad));
        var graph = new Proto.GraphProto { Name = "dilated_pool" };
        graph.Node.Add(node);
        graph.Input.Add(Value("x", 2, 3, 12, 11));
        graph.Output.Add(Value("y"));
        var model = new Proto.ModelProto { IrVersion = 9, Graph = graph };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = "", Version = 19 });
        File.WriteAllBytes(path, model.ToByteArray());

        var x = Tensor.Zeros(2, 3, 12, 11);
        new RandomGenerator(3).FillNormal(x.Span, 0, 1);
        var expected = OnnxRuntimeOracle.Run(path, new Dictionary<string, Tensor> { ["x"] = x });
        OnnxRuntimeOracle.AssertClose(expected, OnnxImport.Load(path).Forward(x), $"{op} with dilations, ceil_mode {ceilMode}");
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
