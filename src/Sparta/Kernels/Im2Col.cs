using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Lays the receptive fields of one image out as a matrix so a convolution becomes one GEMM:
/// column row (c·KH + kh)·KW + kw, column oh·OW + ow holds x[c, oh·sh − padTop + kh·dh, ow·sw − padLeft + kw·dw],
/// zero outside the image. <see cref="Accumulate"/> is the adjoint (col2im): it adds every entry back
/// to the pixel it came from. Rows are <c>rowStride</c> apart, so the matrices of several images can
/// sit side by side and be multiplied at once. Output rows are short (often under 32 values), so with
/// stride 1 they are moved with masked AVX-512 loads and stores (with AVX, masked loads and plain stores)
/// rather than a copy call per row.
/// </summary>
internal static unsafe class Im2Col
{
    private const int Lanes = 16;
    private const int NarrowLanes = 8;

    /// <summary>Whether the im2col matrix of an image is the image itself: a 1x1 kernel, stride 1, no border.</summary>
    public static bool IsIdentity(in ConvWindow w) =>
        w.KernelHeight == 1 && w.KernelWidth == 1 && w.StrideHeight == 1 && w.StrideWidth == 1
        && w.PadTop == 0 && w.PadLeft == 0 && w.OutHeight == w.Height && w.OutWidth == w.Width;

    /// <summary>im2col of one image into rows <paramref name="rowStride"/> apart.</summary>
    public static void Expand(in ConvWindow w, int channels, float* image, float* columns, int rowStride) =>
        Expand(w, channels, image, 0, 1, columns, rowStride);

    /// <summary>
    /// im2col of <paramref name="samples"/> images <paramref name="imageSize"/> floats apart, side by side:
    /// sample s's matrix starts s·OH·OW columns in. The samples are the inner loop, so a kernel cell's
    /// valid columns are worked out once for all of them, and on AVX a sample's vectors may spill into
    /// the next sample's columns, written right after (deep layers' rows of 2 outputs need no masked store).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expand(in ConvWindow w, int channels, float* images, long imageSize, int samples, float* columns, int rowStride)
    {
        int pixels = w.OutPixels;
        for (int c = 0; c < channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
        {
            float* row = columns + (long)((c * w.KernelHeight + kh) * w.KernelWidth + kw) * rowStride;
            // The kernel cell (kh, kw) reads the input rows and columns kh·dh and kw·dw after the window's corner.
            int dy = kh * w.DilationHeight, dx = kw * w.DilationWidth;
            var (first, end) = ValidOutputs(dx - w.PadLeft, w.Width, w.StrideWidth, w.OutWidth);
            // src + ow·stride is the pixel under output column ow; only [first, end) lies inside the image.
            float* src = images + c * w.Height * w.Width + (dx - w.PadLeft);
            for (int s = 0; s < samples; s++, row += pixels, src += imageSize)
            {
                if (w.StrideWidth == 1 && Avx512F.IsSupported && VectorWidth.Uses512)
                {
                    ExpandRowsAvx512(w, dy, src, row, first, end);
                    continue;
                }
                if (w.StrideWidth == 1 && Avx.IsSupported)
                {
                    ExpandRowsAvx(w, dy, src, row, first, end, (samples - s) * pixels);
                    continue;
                }
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    int ih = oh * w.StrideHeight - w.PadTop + dy;
                    bool inside = (uint)ih < (uint)w.Height;
                    CopyRow(src + ih * w.Width, w.StrideWidth, row + oh * w.OutWidth, w.OutWidth, inside ? first : 0, inside ? end : 0);
                }
            }
        }
    }

    /// <summary>
    /// col2im for <paramref name="samples"/> images side by side: sample s's matrix starts s·OH·OW
    /// columns in, its image <paramref name="imageSize"/> floats after the previous one. The samples
    /// are the inner loop, so a kernel cell's valid columns are worked out once for all of them (deep
    /// layers have 2×2 outputs: the work per row is a few adds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(in ConvWindow w, int channels, float* columns, int rowStride, int samples, float* images, long imageSize)
    {
        int pixels = w.OutPixels;
        for (int c = 0; c < channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
        {
            float* row = columns + (long)((c * w.KernelHeight + kh) * w.KernelWidth + kw) * rowStride;
            int dy = kh * w.DilationHeight, dx = kw * w.DilationWidth;
            var (first, end) = ValidOutputs(dx - w.PadLeft, w.Width, w.StrideWidth, w.OutWidth);
            float* dst = images + c * w.Height * w.Width + (dx - w.PadLeft);
            for (int s = 0; s < samples; s++, row += pixels, dst += imageSize)
            {
                if (w.StrideWidth == 1 && Avx512F.IsSupported && VectorWidth.Uses512)
                    AccumulateRowsAvx512(w, dy, row, dst, first, end);
                else if (w.StrideWidth == 1 && Avx.IsSupported)
                    AccumulateRowsAvx(w, dy, row, dst, first, end);
                else
                    AccumulateRows(w, dy, row, dst, first, end);
            }
        }
    }

    /// <summary>One (channel, kh, kw)'s output rows added back to the image rows they came from, any stride.</summary>
    private static void AccumulateRows(in ConvWindow w, int dy, float* row, float* dst, int first, int end)
    {
        for (int oh = 0; oh < w.OutHeight; oh++)
        {
            int ih = oh * w.StrideHeight - w.PadTop + dy;
            if ((uint)ih >= (uint)w.Height) continue;
            float* target = dst + ih * w.Width;
            for (int ow = first; ow < end; ow++) target[ow * w.StrideWidth] += row[oh * w.OutWidth + ow];
        }
    }

    /// <summary>
    /// The output rows of one (channel, kh, kw) with stride 1 (dy = kh·dh, the rows the kernel cell is below the window's top), 16 columns at a time: the masks of a
    /// column block are the same for every output row, so they are built once per block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpandRowsAvx512(in ConvWindow w, int dy, float* src, float* row, int first, int end)
    {
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int at = 0; at < w.OutWidth; at += Lanes)
        {
            var index = lanes + Vector512.Create(at);
            var read = (Vector512.GreaterThanOrEqual(index, Vector512.Create(first)) & Vector512.LessThan(index, Vector512.Create(end))).AsSingle();
            var write = Vector512.LessThan(index, Vector512.Create(w.OutWidth)).AsSingle();
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int ih = oh * w.StrideHeight - w.PadTop + dy;
                var value = (uint)ih < (uint)w.Height
                    ? Avx512F.MaskLoad(src + ih * w.Width + at, read, Vector512<float>.Zero)
                    : Vector512<float>.Zero;
                Avx512F.MaskStore(row + oh * w.OutWidth + at, write, value);
            }
        }
    }

    /// <summary>
    /// <see cref="ExpandRowsAvx512"/> 8 columns at a time, for processors with AVX but not AVX-512.
    /// AVX's masked store is slow (microcoded on AMD's Zen), so whole vectors are stored, output row
    /// after output row: the lanes past a row's end spill into the rows after it, which are written
    /// later; only a vector that would spill past <paramref name="room"/> columns (the image's output
    /// block and those of the samples written after it, past which lies data already written) is stored masked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpandRowsAvx(in ConvWindow w, int dy, float* src, float* row, int first, int end, int room)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        int outWidth = w.OutWidth, blocks = (outWidth + NarrowLanes - 1) / NarrowLanes;
        // A column block's read mask is the same for every output row: built once, kept in a short table
        // (or in a register when the row is one block), not rebuilt for each row.
        Vector256<float> single = default;
        Span<Vector256<float>> reads = blocks == 1 ? new Span<Vector256<float>>(ref single) : stackalloc Vector256<float>[blocks];
        for (int block = 0; block < blocks; block++)
        {
            var index = lanes + Vector256.Create(block * NarrowLanes);
            reads[block] = (Vector256.GreaterThanOrEqual(index, Vector256.Create(first)) & Vector256.LessThan(index, Vector256.Create(end))).AsSingle();
        }
        // Output rows whose every vector, spill included, ends inside the room are stored whole.
        int wholeRows = room < blocks * NarrowLanes ? 0 : Math.Min(w.OutHeight, (room - blocks * NarrowLanes) / outWidth + 1);
        for (int oh = 0; oh < w.OutHeight; oh++)
        {
            int ih = oh * w.StrideHeight - w.PadTop + dy;
            float* to = row + oh * outWidth;
            if ((uint)ih >= (uint)w.Height)
            {
                if (oh < wholeRows)
                    for (int block = 0; block < blocks; block++) Vector256.Store(Vector256<float>.Zero, to + block * NarrowLanes);
                else
                    new Span<float>(to, outWidth).Clear();
                continue;
            }
            float* from = src + ih * w.Width;
            if (oh < wholeRows)
            {
                // AVX's masked load reads nothing where the mask is off, and gives 0 there.
                for (int block = 0; block < blocks; block++)
                    Vector256.Store(Avx.MaskLoad(from + block * NarrowLanes, reads[block]), to + block * NarrowLanes);
                continue;
            }
            for (int block = 0; block < blocks; block++)
            {
                int at = block * NarrowLanes;
                var value = Avx.MaskLoad(from + at, reads[block]);
                if (oh * outWidth + at + NarrowLanes <= room) Vector256.Store(value, to + at);
                else Avx.MaskStore(to + at, Vector256.LessThan(lanes + Vector256.Create(at), Vector256.Create(outWidth)).AsSingle(), value);
            }
        }
    }

    /// <summary>dst[ow] = src[ow·stride] for ow in [first, end), 0 for the rest of [0, count). src may point before its row: only [first, end) is read.</summary>
    private static void CopyRow(float* src, int stride, float* dst, int count, int first, int end)
    {
        for (int ow = 0; ow < first; ow++) dst[ow] = 0f;
        for (int ow = first; ow < end; ow++) dst[ow] = src[ow * stride];
        for (int ow = end; ow < count; ow++) dst[ow] = 0f;
    }

    /// <summary>The adjoint of <see cref="ExpandRowsAvx512"/>: each output row adds its [first, end) columns back to its image row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateRowsAvx512(in ConvWindow w, int dy, float* row, float* dst, int first, int end)
    {
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (int at = first; at < end; at += Lanes)
        {
            var mask = Vector512.LessThan(lanes + Vector512.Create(at), Vector512.Create(end)).AsSingle();
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int ih = oh * w.StrideHeight - w.PadTop + dy;
                if ((uint)ih >= (uint)w.Height) continue;
                float* target = dst + ih * w.Width + at;
                var sum = Avx512F.MaskLoad(target, mask, Vector512<float>.Zero)
                        + Avx512F.MaskLoad(row + oh * w.OutWidth + at, mask, Vector512<float>.Zero);
                Avx512F.MaskStore(target, mask, sum);
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="ExpandRowsAvx"/>, without masked stores (see there): the valid columns
    /// [first, end) of each output row are added 8 at a time, and a ragged rest as one vector ending
    /// at <c>end</c> whose lanes already added carry zeros; rows narrower than 8 go one value at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateRowsAvx(in ConvWindow w, int dy, float* row, float* dst, int first, int end)
    {
        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        int full = first + (end - first) / NarrowLanes * NarrowLanes, last = end - NarrowLanes;
        // Lanes of the last vector below `full` were added by the loop: they read as zero.
        var fresh = Vector256.GreaterThanOrEqual(lanes + Vector256.Create(last), Vector256.Create(full)).AsSingle();
        for (int oh = 0; oh < w.OutHeight; oh++)
        {
            int ih = oh * w.StrideHeight - w.PadTop + dy;
            if ((uint)ih >= (uint)w.Height) continue;
            float* target = dst + ih * w.Width, from = row + oh * w.OutWidth;
            if (end - first < NarrowLanes)
            {
                for (int ow = first; ow < end; ow++) target[ow] += from[ow];
                continue;
            }
            for (int at = first; at < full; at += NarrowLanes)
                Vector256.Store(Vector256.Load(target + at) + Vector256.Load(from + at), target + at);
            if (full < end)
                Vector256.Store(Vector256.Load(target + last) + Avx.MaskLoad(from + last, fresh), target + last);
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
