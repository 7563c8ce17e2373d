using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Autograd;

/// <summary>Reference forwards of the convolution and pooling ops: the kernels' double-precision scalar oracles on <see cref="Reference"/> tensors.</summary>
internal static class ConvReference
{
    public static Reference Conv2D(Reference x, Reference weights, Reference? bias, Size2D stride, ConvPadding padding)
    {
        var window = ConvWindow.Create(x.Dims[2], x.Dims[3], weights.Dims[2], weights.Dims[3], stride.Height, stride.Width, padding);
        var shape = new Conv2DShape(x.Dims[1], weights.Dims[0], window);
        var y = new double[x.Dims[0] * shape.OutputSize];
        Conv2DScalar.Forward(shape, x.Dims[0], x.Data, weights.Data, bias is null ? default : bias.Data, y);
        return new(y, [x.Dims[0], shape.OutChannels, window.OutHeight, window.OutWidth]);
    }

    public static Reference MaxPool2D(Reference x, Size2D poolSize, Size2D stride, ConvPadding padding) =>
        Pool(x, poolSize, stride, padding, Pool2DScalar.MaxForward);

    public static Reference AveragePool2D(Reference x, Size2D poolSize, Size2D stride, ConvPadding padding) =>
        Pool(x, poolSize, stride, padding, Pool2DScalar.AverageForward);

    private delegate void PoolForward(ConvWindow window, int planes, ReadOnlySpan<double> input, Span<double> output);

    private static Reference Pool(Reference x, Size2D poolSize, Size2D stride, ConvPadding padding, PoolForward forward)
    {
        var window = ConvWindow.Create(x.Dims[2], x.Dims[3], poolSize.Height, poolSize.Width, stride.Height, stride.Width, padding);
        int planes = x.Dims[0] * x.Dims[1];
        var y = new double[planes * window.OutPixels];
        forward(window, planes, x.Data, y);
        return new(y, [x.Dims[0], x.Dims[1], window.OutHeight, window.OutWidth]);
    }
}
