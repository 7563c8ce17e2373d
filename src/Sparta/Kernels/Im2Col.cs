using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Lays the receptive fields of one image out as a matrix so a convolution becomes one GEMM:
/// column row (c·KH + kh)·KW + kw, column oh·OW + ow holds x[c, oh·sh − padTop + kh, ow·sw − padLeft + kw],
/// zero outside the image. <see cref="Accumulate"/> is the adjoint (col2im): it adds every entry back
/// to the pixel it came from. Rows are <c>rowStride</c> apart, so the matrices of several images can
/// sit side by side and be multiplied at once. Output rows are short (often under 32 values), so with
/// stride 1 each is moved with masked AVX-512 loads and stores rather than a copy call per row.
/// </summary>
internal static unsafe class Im2Col
{
    private const int Lanes = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expand(in ConvWindow w, int channels, float* image, float* columns, int rowStride)
    {
        for (int c = 0; c < channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
        {
            float* row = columns + (long)((c * w.KernelHeight + kh) * w.KernelWidth + kw) * rowStride;
            var (first, end) = ValidOutputs(kw - w.PadLeft, w.Width, w.StrideWidth, w.OutWidth);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int ih = oh * w.StrideHeight - w.PadTop + kh;
                bool inside = (uint)ih < (uint)w.Height;
                // src[ow·stride] is the pixel under output column ow; only [first, end) lies inside the image.
                float* src = image + (c * w.Height + ih) * w.Width + (kw - w.PadLeft);
                CopyRow(src, w.StrideWidth, row + oh * w.OutWidth, w.OutWidth, inside ? first : 0, inside ? end : 0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(in ConvWindow w, int channels, float* columns, int rowStride, float* image)
    {
        for (int c = 0; c < channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
        {
            float* row = columns + (long)((c * w.KernelHeight + kh) * w.KernelWidth + kw) * rowStride;
            var (first, end) = ValidOutputs(kw - w.PadLeft, w.Width, w.StrideWidth, w.OutWidth);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int ih = oh * w.StrideHeight - w.PadTop + kh;
                if ((uint)ih >= (uint)w.Height) continue;
                float* dst = image + (c * w.Height + ih) * w.Width + (kw - w.PadLeft);
                AddRow(row + oh * w.OutWidth, dst, w.StrideWidth, first, end);
            }
        }
    }

    /// <summary>dst[ow] = src[ow·stride] for ow in [first, end), 0 for the rest of [0, count). src may point before its row: only [first, end) is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(float* src, int stride, float* dst, int count, int first, int end)
    {
        if (stride == 1 && Avx512F.IsSupported)
        {
            var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (int at = 0; at < count; at += Lanes)
            {
                var index = lanes + Vector512.Create(at);
                var read = Vector512.GreaterThanOrEqual(index, Vector512.Create(first)) & Vector512.LessThan(index, Vector512.Create(end));
                var value = Avx512F.MaskLoad(src + at, read.AsSingle(), Vector512<float>.Zero);
                Avx512F.MaskStore(dst + at, Vector512.LessThan(index, Vector512.Create(count)).AsSingle(), value);
            }
            return;
        }
        for (int ow = 0; ow < first; ow++) dst[ow] = 0f;
        for (int ow = first; ow < end; ow++) dst[ow] = src[ow * stride];
        for (int ow = end; ow < count; ow++) dst[ow] = 0f;
    }

    /// <summary>dst[ow·stride] += src[ow] for ow in [first, end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* src, float* dst, int stride, int first, int end)
    {
        if (stride == 1 && Avx512F.IsSupported)
        {
            var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (int at = first; at < end; at += Lanes)
            {
                var mask = Vector512.LessThan(lanes + Vector512.Create(at), Vector512.Create(end)).AsSingle();
                var sum = Avx512F.MaskLoad(dst + at, mask, Vector512<float>.Zero) + Avx512F.MaskLoad(src + at, mask, Vector512<float>.Zero);
                Avx512F.MaskStore(dst + at, mask, sum);
            }
            return;
        }
        for (int ow = first; ow < end; ow++) dst[ow * stride] += src[ow];
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
