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

    /// <summary>
    /// A dilated convolution as an ordinary one (an independent formula): the kernel spread out with
    /// rate − 1 zeros between its cells, so it covers the dilated kernel's span.
    /// </summary>
    public static Reference DilatedConv2D(Reference x, Reference weights, Reference? bias, Size2D stride, ConvPadding padding, Size2D rate)
    {
        int oc = weights.Dims[0], c = weights.Dims[1], kh = weights.Dims[2], kw = weights.Dims[3];
        int spanH = (kh - 1) * rate.Height + 1, spanW = (kw - 1) * rate.Width + 1;
        var spread = new double[oc * c * spanH * spanW];
        for (int plane = 0; plane < oc * c; plane++)
            for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++)
                    spread[(plane * spanH + p * rate.Height) * spanW + q * rate.Width] = weights.Data[(plane * kh + p) * kw + q];
        return Conv2D(x, new Reference(spread, [oc, c, spanH, spanW]), bias, stride, padding);
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
