using Sparta.Kernels;
using Sparta.Onnx;
using Sparta.Tensors;

namespace Sparta.Tests.Onnx;

/// <summary>ONNX MaxPool with dilations, against the definition written as loops: each output the largest input cell its dilated window reads.</summary>
public class OnnxDilatedMaxPoolTests
{
    [Theory]
    [InlineData(7, 8, 3, 2, 1, 2, 2, 3, 1, 0, 2, 1)]
    [InlineData(9, 6, 2, 3, 2, 1, 3, 2, 0, 2, 1, 0)]
    [InlineData(4, 4, 2, 2, 1, 1, 2, 2, 0, 0, 0, 0)]
    public void EachOutputIsTheMaximumOfTheCellsItsDilatedWindowReads(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int top, int bottom, int left, int right)
    {
        var window = ConvWindow.Create(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, top, bottom, left, right, dilationHeight, dilationWidth);
        var x = Tensor.Zeros(2, 3, height, width);
        new RandomGenerator(7).FillNormal(x.Span, 0, 1);
        var y = OnnxOperators.DilatedMaxPool(x, window);
        Assert.Equal(new[] { 2, 3, window.OutHeight, window.OutWidth }, y.Shape.ToArray());
        var values = x.Span;
        for (int plane = 0; plane < 6; plane++)
            for (int oh = 0; oh < window.OutHeight; oh++)
                for (int ow = 0; ow < window.OutWidth; ow++)
                {
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < kernelHeight; i++)
                        for (int j = 0; j < kernelWidth; j++)
                        {
                            int h = oh * strideHeight - top + i * dilationHeight, w = ow * strideWidth - left + j * dilationWidth;
                            if (h >= 0 && h < height && w >= 0 && w < width) max = Math.Max(max, values[(plane * height + h) * width + w]);
                        }
                    Assert.Equal(max, y.Span[(plane * window.OutHeight + oh) * window.OutWidth + ow]);
                }
    }
}
