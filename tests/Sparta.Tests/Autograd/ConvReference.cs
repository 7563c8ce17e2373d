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

    /// <summary>
    /// Max or average pooling whose window reads every rate-th cell, as loops over the definition (an independent
    /// formula: the pooling kernels take no dilation): 'same' pads over the dilated window's span as Keras does,
    /// and the average counts only the cells inside the image.
    /// </summary>
    public static Reference DilatedPool2D(Reference x, Size2D poolSize, Size2D stride, ConvPadding padding, Size2D rate, bool max)
    {
        int n = x.Dims[0], c = x.Dims[1], h = x.Dims[2], w = x.Dims[3];
        int spanH = (poolSize.Height - 1) * rate.Height + 1, spanW = (poolSize.Width - 1) * rate.Width + 1;
        int outH, outW, top = 0, left = 0;
        if (padding == ConvPadding.Same)
        {
            outH = (h + stride.Height - 1) / stride.Height;
            outW = (w + stride.Width - 1) / stride.Width;
            top = Math.Max((outH - 1) * stride.Height + spanH - h, 0) / 2;
            left = Math.Max((outW - 1) * stride.Width + spanW - w, 0) / 2;
        }
        else
        {
            outH = (h - spanH) / stride.Height + 1;
            outW = (w - spanW) / stride.Width + 1;
        }
        var y = new double[n * c * outH * outW];
        for (int plane = 0; plane < n * c; plane++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                {
                    double largest = double.NegativeInfinity, sum = 0;
                    int inside = 0;
                    for (int i = 0; i < poolSize.Height; i++)
                        for (int j = 0; j < poolSize.Width; j++)
                        {
                            int row = oh * stride.Height - top + i * rate.Height, column = ow * stride.Width - left + j * rate.Width;
                            if (row < 0 || row >= h || column < 0 || column >= w) continue;
                            double v = x.Data[(plane * h + row) * w + column];
                            largest = Math.Max(largest, v);
                            sum += v;
                            inside++;
                        }
                    y[(plane * outH + oh) * outW + ow] = max ? largest : sum / inside;
                }
        return new(y, [n, c, outH, outW]);
    }

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
