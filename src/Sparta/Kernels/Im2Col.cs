using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Sparta.Kernels;

/// <summary>
/// Lays the receptive fields of one image out as a matrix so a convolution becomes one GEMM:
/// column row (c·KH + kh)·KW + kw, column oh·OW + ow holds x[c, oh·sh − padTop + kh, ow·sw − padLeft + kw],
/// zero outside the image. <see cref="Accumulate"/> is the adjoint (col2im): it adds every entry back
/// to the pixel it came from.
/// </summary>
internal static unsafe class Im2Col
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expand(in ConvWindow w, int channels, float* image, float* columns)
    {
        int outPixels = w.OutPixels;
        for (int c = 0; c < channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
        {
            float* row = columns + ((c * w.KernelHeight + kh) * w.KernelWidth + kw) * outPixels;
            var (first, end) = ValidOutputs(kw - w.PadLeft, w.Width, w.StrideWidth, w.OutWidth);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                float* dst = row + oh * w.OutWidth;
                int ih = oh * w.StrideHeight - w.PadTop + kh;
                if ((uint)ih >= (uint)w.Height)
                {
                    new Span<float>(dst, w.OutWidth).Clear();
                    continue;
                }
                // src[ow·stride] is the pixel under output column ow; only [first, end) lies inside the image.
                float* src = image + (c * w.Height + ih) * w.Width + (kw - w.PadLeft);
                new Span<float>(dst, first).Clear();
                if (w.StrideWidth == 1)
                    new ReadOnlySpan<float>(src + first, end - first).CopyTo(new Span<float>(dst + first, end - first));
                else
                    for (int ow = first; ow < end; ow++) dst[ow] = src[ow * w.StrideWidth];
                new Span<float>(dst + end, w.OutWidth - end).Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(in ConvWindow w, int channels, float* columns, float* image)
    {
        int outPixels = w.OutPixels;
        for (int c = 0; c < channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
        {
            float* row = columns + ((c * w.KernelHeight + kh) * w.KernelWidth + kw) * outPixels;
            var (first, end) = ValidOutputs(kw - w.PadLeft, w.Width, w.StrideWidth, w.OutWidth);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int ih = oh * w.StrideHeight - w.PadTop + kh;
                if ((uint)ih >= (uint)w.Height) continue;
                float* src = row + oh * w.OutWidth;
                float* dst = image + (c * w.Height + ih) * w.Width + (kw - w.PadLeft);
                if (w.StrideWidth == 1)
                {
                    var target = new Span<float>(dst + first, end - first);
                    TensorPrimitives.Add(target, new ReadOnlySpan<float>(src + first, end - first), target);
                }
                else
                    for (int ow = first; ow < end; ow++) dst[ow * w.StrideWidth] += src[ow];
            }
        }
    }

    /// <summary>The output columns [first, end) whose input column <c>offset + ow·stride</c> lies in [0, width).</summary>
    private static (int First, int End) ValidOutputs(int offset, int width, int stride, int outWidth)
    {
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = width - 1 - offset;
        int end = last < 0 ? 0 : Math.Min(outWidth, last / stride + 1);
        first = Math.Min(first, outWidth);
        return (first, Math.Max(first, end));
    }
}
