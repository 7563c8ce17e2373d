using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// The forward convolution of stride 1 with no im2col matrix at all. A sample is copied once into a
/// zero-bordered buffer; for output row oh and input cell (c, kh, kw) the 16 inputs that 16 adjacent
/// output pixels read are then 16 adjacent floats of that buffer, loaded in place. A 6×16 tile
/// (6 output channels, 16 pixels of one output row) sums in 12 AVX2 registers, as the GEMM's
/// micro-kernel does, from 6 rows of the weights read in place; the bias starts
/// each sum and a ReLU is applied in the registers, so the tile is stored once, in place, in NCHW.
/// A row end shorter than 16 pixels takes an 8-pixel tile or masked lanes (their sums are computed
/// and dropped: the border and a slack of 16 floats keep every load inside the buffer).
/// </summary>
internal static unsafe class Conv2DDirect
{
    private const int Rows = 6;
    private const int Lanes = 8;
    private const int Wide = 2 * Lanes;

    /// <summary>Floats after the bordered sample that the lanes of a ragged row end may read.</summary>
    internal const int Slack = Wide;

    /// <summary>Weights above this many bytes no longer stay in L2 across a row's tiles: the im2col GEMM blocks them better.</summary>
    private const int MaxWeightBytes = 256 * 1024;

    /// <summary>
    /// Whether this shape runs here: AVX2 and FMA, stride 1, a patch of at least two cells, weights that
    /// stay in L2, and rows whose tiles waste at most a quarter of their lanes.
    /// </summary>
    public static bool Handles(Conv2DShape shape)
    {
        var w = shape.Window;
        if (!Avx2.IsSupported || !Fma.IsSupported) return false;
        if (w.StrideHeight != 1 || w.StrideWidth != 1 || w.KernelPixels == 1) return false;
        if ((long)shape.WeightCount * sizeof(float) > MaxWeightBytes) return false;
        return 4 * (TiledWidth(w.OutWidth) - w.OutWidth) <= TiledWidth(w.OutWidth);
    }

    /// <summary>Output columns a row's tiles cover: 16 at a time, the last remainder of at most 8 in an 8-pixel tile.</summary>
    private static int TiledWidth(int outWidth)
    {
        int rest = outWidth % Wide;
        return outWidth - rest + (rest == 0 ? 0 : rest <= Lanes ? Lanes : Wide);
    }

    /// <summary>Floats of one bordered sample, its slack included.</summary>
    public static int BorderedLength(Conv2DShape shape) =>
        shape.Channels * BorderedHeight(shape.Window) * BorderedWidth(shape.Window) + Slack;

    private static int BorderedHeight(in ConvWindow w) => w.OutHeight + w.SpanHeight - 1;

    private static int BorderedWidth(in ConvWindow w) => w.OutWidth + w.SpanWidth - 1;

    /// <summary>offsets[k]: the distance in the bordered sample from an output pixel's first input to the input of patch cell k.</summary>
    public static void Offsets(Conv2DShape shape, int* offsets)
    {
        var w = shape.Window;
        int width = BorderedWidth(w), plane = BorderedHeight(w) * width, cell = 0;
        for (int c = 0; c < shape.Channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
            offsets[cell++] = c * plane + kh * w.DilationHeight * width + kw * w.DilationWidth;
    }

    /// <summary>Zeroes a bordered buffer: the borders stay zero while <see cref="Forward"/> rewrites only the interior.</summary>
    public static void ClearBorders(Conv2DShape shape, float* bordered) => new Span<float>(bordered, BorderedLength(shape)).Clear();

    /// <summary>
    /// output = f(conv(sample) + bias) for one sample, f fused when it is the identity or ReLU (the
    /// caller applies any other f after). <paramref name="bordered"/> was cleared by <see cref="ClearBorders"/>.
    /// </summary>
    public static void Forward(Conv2DShape shape, float* sample, float* weights, int* offsets, float* bias, float* output,
        float* bordered, bool relu)
    {
        var w = shape.Window;
        CopyInterior(shape, sample, bordered);
        int width = BorderedWidth(w), patch = shape.PatchSize, oc = shape.OutChannels, pixels = w.OutPixels;
        for (int oh = 0; oh < w.OutHeight; oh++)
        for (int ow = 0; ow < w.OutWidth; ow += Wide)
        {
            int lanes = Math.Min(Wide, w.OutWidth - ow);
            float* source = bordered + (long)oh * width + ow;
            float* target = output + (long)oh * w.OutWidth + ow;
            for (int o = 0; o < oc; o += Rows)
            {
                float* rowsOfWeights = weights + (long)o * patch;
                int rows = Math.Min(Rows, oc - o);
                if (lanes <= Lanes) Tile8(patch, rowsOfWeights, rows, offsets, source, bias, o, target + (long)o * pixels, pixels, lanes, relu);
                else Tile16(patch, rowsOfWeights, rows, offsets, source, bias, o, target + (long)o * pixels, pixels, lanes, relu);
            }
        }
    }

    /// <summary>Copies a sample into the interior of its bordered buffer (stride 1: the border is exactly the padding).</summary>
    private static void CopyInterior(Conv2DShape shape, float* sample, float* bordered)
    {
        var w = shape.Window;
        int height = BorderedHeight(w), width = BorderedWidth(w);
        for (int c = 0; c < shape.Channels; c++)
        for (int ih = 0; ih < w.Height; ih++)
            new ReadOnlySpan<float>(sample + ((long)c * w.Height + ih) * w.Width, w.Width)
                .CopyTo(new Span<float>(bordered + ((long)c * height + ih + w.PadTop) * width + w.PadLeft, w.Width));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile16(int patch, float* weights, int rows, int* offsets, float* source, float* bias, int o,
        float* y, int pixels, int lanes, bool relu)
    {
        // The 6 weight rows, read in place; a tile of fewer channels repeats its first row for the missing ones (their sums are never stored).
        float* w0 = weights, w1 = rows > 1 ? w0 + patch : w0, w2 = rows > 2 ? w0 + 2 * patch : w0;
        float* w3 = rows > 3 ? w0 + 3 * patch : w0, w4 = rows > 4 ? w0 + 4 * patch : w0, w5 = rows > 5 ? w0 + 5 * patch : w0;
        Vector256<float> c00 = Bias(bias, o, 0, rows), c10 = Bias(bias, o, 1, rows), c20 = Bias(bias, o, 2, rows);
        Vector256<float> c30 = Bias(bias, o, 3, rows), c40 = Bias(bias, o, 4, rows), c50 = Bias(bias, o, 5, rows);
        Vector256<float> c01 = c00, c11 = c10, c21 = c20, c31 = c30, c41 = c40, c51 = c50;
        for (int k = 0; k < patch; k++)
        {
            float* b = source + offsets[k];
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + Lanes), x;
            x = Vector256.Create(w0[k]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(w1[k]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(w2[k]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(w3[k]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(w4[k]); c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(w5[k]); c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        var mask = Mask(lanes - Lanes);
        Store16(y, c00, c01, mask, relu); if (rows == 1) return; y += pixels;
        Store16(y, c10, c11, mask, relu); if (rows == 2) return; y += pixels;
        Store16(y, c20, c21, mask, relu); if (rows == 3) return; y += pixels;
        Store16(y, c30, c31, mask, relu); if (rows == 4) return; y += pixels;
        Store16(y, c40, c41, mask, relu); if (rows == 5) return; y += pixels;
        Store16(y, c50, c51, mask, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8(int patch, float* weights, int rows, int* offsets, float* source, float* bias, int o,
        float* y, int pixels, int lanes, bool relu)
    {
        // The 6 weight rows, read in place; a tile of fewer channels repeats its first row for the missing ones (their sums are never stored).
        float* w0 = weights, w1 = rows > 1 ? w0 + patch : w0, w2 = rows > 2 ? w0 + 2 * patch : w0;
        float* w3 = rows > 3 ? w0 + 3 * patch : w0, w4 = rows > 4 ? w0 + 4 * patch : w0, w5 = rows > 5 ? w0 + 5 * patch : w0;
        Vector256<float> c0 = Bias(bias, o, 0, rows), c1 = Bias(bias, o, 1, rows), c2 = Bias(bias, o, 2, rows);
        Vector256<float> c3 = Bias(bias, o, 3, rows), c4 = Bias(bias, o, 4, rows), c5 = Bias(bias, o, 5, rows);
        for (int k = 0; k < patch; k++)
        {
            var b = Vector256.Load(source + offsets[k]);
            c0 = Fma.MultiplyAdd(Vector256.Create(w0[k]), b, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(w1[k]), b, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(w2[k]), b, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(w3[k]), b, c3);
            c4 = Fma.MultiplyAdd(Vector256.Create(w4[k]), b, c4);
            c5 = Fma.MultiplyAdd(Vector256.Create(w5[k]), b, c5);
        }
        var mask = Mask(lanes);
        Store8(y, c0, mask, relu); if (rows == 1) return; y += pixels;
        Store8(y, c1, mask, relu); if (rows == 2) return; y += pixels;
        Store8(y, c2, mask, relu); if (rows == 3) return; y += pixels;
        Store8(y, c3, mask, relu); if (rows == 4) return; y += pixels;
        Store8(y, c4, mask, relu); if (rows == 5) return; y += pixels;
        Store8(y, c5, mask, relu);
    }

    /// <summary>The bias of the tile's channel <paramref name="r"/> in every lane; zero without a bias or past the tile's channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Bias(float* bias, int o, int r, int rows) =>
        bias != null && r < rows ? Vector256.Create(bias[o + r]) : Vector256<float>.Zero;

    /// <summary>Stores 8 + up to 8 sums; the second vector's lanes past <paramref name="mask"/> are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(float* y, Vector256<float> low, Vector256<float> high, Vector256<float> mask, bool relu)
    {
        Vector256.Store(Activate(low, relu), y);
        Avx.MaskStore(y + Lanes, mask, Activate(high, relu));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(float* y, Vector256<float> sums, Vector256<float> mask, bool relu) =>
        Avx.MaskStore(y, mask, Activate(sums, relu));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Activate(Vector256<float> sums, bool relu) => relu ? Vector256.Max(sums, Vector256<float>.Zero) : sums;

    /// <summary>All bits set in the first min(<paramref name="count"/>, 8) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();
}
