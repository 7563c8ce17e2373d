using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// The forward convolution with the output channels along the vector lanes (ONNX Runtime's NCHWc
/// idea), written once for 512-, 256- and 128-bit vectors. A sample is copied once into a
/// zero-bordered buffer, its channels as planes (NCHW) or, after another convolution of a
/// <see cref="Conv2DBlockedChain"/>, in that one's blocks; a tile of 6 output pixels (consecutive in the plane, so it may span rows)
/// by two vectors of output channels sums in 12 registers: each patch cell (c, kh, kw) loads the
/// group's two weight vectors (packed once, <see cref="Conv2DPackedWeights"/>) and broadcasts the
/// 6 pixels' inputs from the bordered buffer in place. No lane is spent on a row's ragged end: a
/// plane of 196 pixels takes 33 tiles, whatever its width. The bias starts each sum and a ReLU is
/// applied in the registers; the tile is stored into a channels-blocked plane,
/// [OC / lanes][pixels][lanes], that <see cref="Conv2DBlockedLayout"/> turns into NCHW, the next
/// convolution reads as it is, or <see cref="Conv2DBlockedPool"/> pools.
/// </summary>
internal static unsafe class Conv2DBlocked
{
    /// <summary>Output pixels per tile (6 pixels × 2 vectors: 12 of the 16 registers x64 has, 3 left for the weights and a broadcast).</summary>
    internal const int TilePixels = 6;

    /// <summary>
    /// A group of packed weights above this many bytes no longer stays in L1/L2 across a plane's tiles:
    /// the im2col GEMM blocks it better. Measured at 8 lanes (64 KB: 1,024 patch cells of 16 output
    /// channels); at 16 lanes a group of 1,024 cells (128 KB, the CNN's second input gradient: 576)
    /// still beat 8 lanes' tiles.
    /// </summary>
    private static int MaxGroupBytes(int lanes) => lanes >= 16 ? 128 * 1024 : 64 * 1024;

    /// <summary>A bordered sample above this many bytes no longer stays in L2 across the groups.</summary>
    internal const int MaxBorderedBytes = 256 * 1024;

    /// <summary>
    /// Floats per vector of the width the kernels use (16, 8 or 4: <see cref="VectorWidth"/>), or 0 without vectors
    /// (the im2col GEMM then serves). The sums are fused multiply-adds where the processor has them
    /// and a multiply then an add where it has not (SSE alone).
    /// </summary>
    public static int Lanes => VectorWidth.Lanes;

    /// <summary>Whether a width of <paramref name="lanes"/> floats runs in hardware here (tests run every one that does).</summary>
    public static bool Runs(int lanes) => lanes switch
    {
        16 => Float512.IsHardwareAccelerated,
        8 => Float256.IsHardwareAccelerated,
        4 => Float128.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>
    /// Whether this shape runs here at the widest width: a patch of at least two cells (a 1x1
    /// convolution's GEMM reads the input in place), weights and sample that stay in cache, and
    /// at most a quarter of the lanes wasted on a partial channel group or a partial pixel tile.
    /// </summary>
    public static bool Handles(Conv2DShape shape) => LanesFor(shape) > 0;

    /// <summary>The lanes the forward pass of this shape runs at here (<see cref="Widest"/>), 0 when the im2col GEMM serves.</summary>
    public static int LanesFor(Conv2DShape shape) => Widest(shape, &Fits);

    /// <summary>
    /// The widest width at which <paramref name="takes"/> accepts the shape: <see cref="Lanes"/>, else, on
    /// an AVX-512 processor, 8 lanes (a shape of 16 output channels fills half a group of 32 but a
    /// whole group of 16: the im2col GEMM it would otherwise take is slower); 0 when none does.
    /// </summary>
    public static int Widest(Conv2DShape shape, delegate*<Conv2DShape, int, bool> takes)
    {
        if (!Runs(Lanes)) return 0;
        if (takes(shape, Lanes)) return Lanes;
        return Lanes == 16 && Runs(8) && takes(shape, 8) ? 8 : 0;
    }

    /// <summary>The shape's part of <see cref="Handles(Conv2DShape)"/>, for vectors of <paramref name="lanes"/> floats.</summary>
    internal static bool Fits(Conv2DShape shape, int lanes)
    {
        if (shape.Window.KernelPixels == 1) return false;
        int group = 2 * lanes, pixels = shape.Window.OutPixels;
        if ((long)group * shape.PatchSize * sizeof(float) > MaxGroupBytes(lanes)) return false;
        if ((long)BorderedLength(shape) * sizeof(float) > MaxBorderedBytes) return false;
        return WastesLittle(shape.OutChannels, group) && WastesLittle(pixels, TilePixels);
    }

    /// <summary>Whether blocks of <paramref name="block"/> cover <paramref name="count"/> items with at most a quarter of them left empty.</summary>
    internal static bool WastesLittle(int count, int block)
    {
        int covered = (count + block - 1) / block * block;
        return 4 * (covered - count) <= covered;
    }

    /// <summary>
    /// Floats of one bordered sample: the rows and columns the windows read (padding included, unread
    /// input cut off), its channels in blocks of <paramref name="inputLanes"/> (1: planes, NCHW).
    /// </summary>
    public static int BorderedLength(Conv2DShape shape, int inputLanes = 1) =>
        (shape.Channels + inputLanes - 1) / inputLanes * inputLanes * BorderedHeight(shape.Window) * BorderedWidth(shape.Window);

    internal static int BorderedHeight(in ConvWindow w) => (w.OutHeight - 1) * w.StrideHeight + w.SpanHeight;

    internal static int BorderedWidth(in ConvWindow w) => (w.OutWidth - 1) * w.StrideWidth + w.SpanWidth;

    /// <summary>Floats of one sample's channels-blocked output plane: every group's channels, padding included.</summary>
    public static int BlockedLength(Conv2DShape shape, int lanes)
    {
        int group = 2 * lanes;
        return (shape.OutChannels + group - 1) / group * group * shape.Window.OutPixels;
    }

    /// <summary>Ints of <see cref="Offsets"/>: one per patch cell, then one per output pixel.</summary>
    public static int OffsetCount(Conv2DShape shape) => shape.PatchSize + shape.Window.OutPixels;

    /// <summary>
    /// offsets[k], k &lt; PatchSize: the distance in the bordered sample from an output pixel's first
    /// input to the input of patch cell k; offsets[PatchSize + p]: output pixel p's first input. The
    /// bordered sample holds its channels in blocks of <paramref name="inputLanes"/>, [C / lanes][rows][columns][lanes]
    /// (1: one plane per channel, as NCHW), so the patch cells keep their order (c, kh, kw) and the sums theirs.
    /// </summary>
    public static void Offsets(Conv2DShape shape, int* offsets, int inputLanes = 1)
    {
        var w = shape.Window;
        int width = BorderedWidth(w), plane = BorderedHeight(w) * width, cell = 0;
        for (int c = 0; c < shape.Channels; c++)
        for (int kh = 0; kh < w.KernelHeight; kh++)
        for (int kw = 0; kw < w.KernelWidth; kw++)
            offsets[cell++] = (c / inputLanes * plane + kh * w.DilationHeight * width + kw * w.DilationWidth) * inputLanes + c % inputLanes;
        for (int oh = 0; oh < w.OutHeight; oh++)
        for (int ow = 0; ow < w.OutWidth; ow++)
            offsets[cell++] = (oh * w.StrideHeight * width + ow * w.StrideWidth) * inputLanes;
    }

    /// <summary>Zeroes a bordered buffer: the borders stay zero while each sample rewrites only the interior.</summary>
    public static void ClearBorders(Conv2DShape shape, float* bordered, int inputLanes = 1) =>
        new Span<float>(bordered, BorderedLength(shape, inputLanes)).Clear();

    /// <summary>
    /// blocked = f(conv(bordered) + bias) for one sample, in the channels-blocked layout of
    /// <paramref name="packed"/>'s width, f the identity or ReLU. <paramref name="bordered"/> holds the
    /// sample inside borders cleared by <see cref="ClearBorders"/> (<see cref="CopyInterior"/> or
    /// <see cref="CopyBlockedInterior"/> put it there); <paramref name="offsets"/> were filled by <see cref="Offsets"/> for its layout.
    /// </summary>
    public static void Forward(Conv2DShape shape, Conv2DPackedWeights packed, int* offsets, float* bordered, float* blocked, bool relu)
    {
        switch (packed.Lanes)
        {
            case 16: Compute<Float512>(shape, packed, offsets, bordered, blocked, relu); break;
            case 8: Compute<Float256>(shape, packed, offsets, bordered, blocked, relu); break;
            case 4: Compute<Float128>(shape, packed, offsets, bordered, blocked, relu); break;
            default: throw new InvalidOperationException($"conv2d: no blocked kernel of {packed.Lanes} lanes");
        }
    }

    /// <summary>
    /// Copies an NCHW sample into the interior of its bordered buffer; input rows and columns no window
    /// reads are left out. With <paramref name="reluOutput"/> (a sample of the same layout) each value is
    /// multiplied by ReLU's slope there as it is copied (<see cref="Conv2DBlockedLayout.FromPlanes"/>).
    /// </summary>
    public static void CopyInterior(Conv2DShape shape, float* sample, float* bordered, float* reluOutput = null)
    {
        var w = shape.Window;
        int height = BorderedHeight(w), width = BorderedWidth(w);
        int rows = Math.Min(w.Height, height - w.PadTop), columns = Math.Min(w.Width, width - w.PadLeft);
        for (int c = 0; c < shape.Channels; c++)
        for (int ih = 0; ih < rows; ih++)
        {
            long from = ((long)c * w.Height + ih) * w.Width;
            float* target = bordered + ((long)c * height + ih + w.PadTop) * width + w.PadLeft;
            if (reluOutput == null) new ReadOnlySpan<float>(sample + from, columns).CopyTo(new Span<float>(target, columns));
            else MaskedRow(sample + from, reluOutput + from, target, columns);
        }
    }

    /// <summary>
    /// target[i] = source[i] · ReLU's slope at relu[i], bit for bit as <see cref="BiasActivation.Backward"/>.
    /// A row's ragged end is one more vector ending at its last value (rows are short: 14 values in the
    /// CNN's second convolution), which writes a few values again, the same.
    /// </summary>
    private static void MaskedRow(float* source, float* relu, float* target, int length)
    {
        // Eight lanes where 256-bit vectors run, four where only 128-bit ones do (NEON on ARM64, where
        // Vector256 would be emulated). A product by 0 or 1 is the same bits at any width.
        int lanes = Vector256.IsHardwareAccelerated ? 8 : 4;
        if (length < lanes || !Vector128.IsHardwareAccelerated)
        {
            for (int j = 0; j < length; j++) target[j] = source[j] * Conv2DBlockedLayout.ReluSlope(relu[j]);
            return;
        }
        int i = 0;
        for (; i + lanes <= length; i += lanes) MaskedVector(source + i, relu + i, target + i, lanes);
        if (i < length) MaskedVector(source + length - lanes, relu + length - lanes, target + length - lanes, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaskedVector(float* source, float* relu, float* target, int lanes)
    {
        if (lanes == 8)
            (Vector256.Load(source) * (Vector256.GreaterThan(Vector256.Load(relu), Vector256<float>.Zero) & Vector256<float>.One)).Store(target);
        else
            (Vector128.Load(source) * (Vector128.GreaterThan(Vector128.Load(relu), Vector128<float>.Zero) & Vector128<float>.One)).Store(target);
    }

    /// <summary>
    /// Copies a channels-blocked sample, [blocks][H][W][<paramref name="lanes"/>] (a previous layer's
    /// output, still in cache), into the interior of its bordered buffer of the same layout: whole
    /// rows of pixels at once, no transpose; rows and columns no window reads are left out.
    /// </summary>
    public static void CopyBlockedInterior(Conv2DShape shape, int lanes, float* plane, float* bordered)
    {
        var w = shape.Window;
        int height = BorderedHeight(w), width = BorderedWidth(w), blocks = (shape.Channels + lanes - 1) / lanes;
        int rows = Math.Min(w.Height, height - w.PadTop), columns = Math.Min(w.Width, width - w.PadLeft);
        for (int b = 0; b < blocks; b++)
        for (int ih = 0; ih < rows; ih++)
            new ReadOnlySpan<float>(plane + (((long)b * w.Height + ih) * w.Width) * lanes, columns * lanes)
                .CopyTo(new Span<float>(bordered + (((long)b * height + ih + w.PadTop) * width + w.PadLeft) * lanes, columns * lanes));
    }

    private static void Compute<TVector>(Conv2DShape shape, Conv2DPackedWeights packed, int* offsets, float* bordered, float* blocked, bool relu)
        where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count, pixels = shape.Window.OutPixels, patch = shape.PatchSize;
        int* pixelOffsets = offsets + patch;
        for (int g = 0; g < packed.Groups; g++)
        {
            float* weights = packed.Weights(g), bias = packed.Bias(g);
            float* low = blocked + (long)2 * g * pixels * lanes, high = low + (long)pixels * lanes;
            for (int p = 0; p < pixels; p += TilePixels)
                Tile<TVector>(patch, weights, bias, offsets, bordered, pixelOffsets + p, Math.Min(TilePixels, pixels - p),
                    low + (long)p * lanes, high + (long)p * lanes, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TVector>(int patch, float* w, float* bias, int* cells, float* bordered, int* pixelOffsets, int count,
        float* low, float* high, bool relu)
        where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        // Pixels past a partial tile's end read the last pixel's inputs (always inside the buffer); their sums are never stored.
        float* x0 = bordered + pixelOffsets[0];
        float* x1 = bordered + pixelOffsets[Math.Min(1, count - 1)], x2 = bordered + pixelOffsets[Math.Min(2, count - 1)];
        float* x3 = bordered + pixelOffsets[Math.Min(3, count - 1)], x4 = bordered + pixelOffsets[Math.Min(4, count - 1)];
        float* x5 = bordered + pixelOffsets[Math.Min(5, count - 1)];
        TVector b0 = TVector.Load(bias), b1 = TVector.Load(bias + lanes);
        TVector c00 = b0, c01 = b1, c10 = b0, c11 = b1, c20 = b0, c21 = b1, c30 = b0, c31 = b1, c40 = b0, c41 = b1, c50 = b0, c51 = b1;
        for (int k = 0; k < patch; k++, w += 2 * lanes)
        {
            int at = cells[k];
            TVector w0 = TVector.Load(w), w1 = TVector.Load(w + lanes), x;
            x = TVector.Broadcast(x0 + at); c00 = TVector.MultiplyAddEstimate(x, w0, c00); c01 = TVector.MultiplyAddEstimate(x, w1, c01);
            x = TVector.Broadcast(x1 + at); c10 = TVector.MultiplyAddEstimate(x, w0, c10); c11 = TVector.MultiplyAddEstimate(x, w1, c11);
            x = TVector.Broadcast(x2 + at); c20 = TVector.MultiplyAddEstimate(x, w0, c20); c21 = TVector.MultiplyAddEstimate(x, w1, c21);
            x = TVector.Broadcast(x3 + at); c30 = TVector.MultiplyAddEstimate(x, w0, c30); c31 = TVector.MultiplyAddEstimate(x, w1, c31);
            x = TVector.Broadcast(x4 + at); c40 = TVector.MultiplyAddEstimate(x, w0, c40); c41 = TVector.MultiplyAddEstimate(x, w1, c41);
            x = TVector.Broadcast(x5 + at); c50 = TVector.MultiplyAddEstimate(x, w0, c50); c51 = TVector.MultiplyAddEstimate(x, w1, c51);
        }
        Store(low, high, c00, c01, relu); if (count == 1) return;
        Store(low + lanes, high + lanes, c10, c11, relu); if (count == 2) return;
        Store(low + 2 * lanes, high + 2 * lanes, c20, c21, relu); if (count == 3) return;
        Store(low + 3 * lanes, high + 3 * lanes, c30, c31, relu); if (count == 4) return;
        Store(low + 4 * lanes, high + 4 * lanes, c40, c41, relu); if (count == 5) return;
        Store(low + 5 * lanes, high + 5 * lanes, c50, c51, relu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TVector>(float* low, float* high, TVector first, TVector second, bool relu)
        where TVector : struct, IFloatVector<TVector>
    {
        // Max(x, 0) keeps a NaN as the unfused ReLU pass does (MaxNumber semantics would drop it).
        if (relu) { first = Relu(first); second = Relu(second); }
        first.Store(low);
        second.Store(high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Relu<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> =>
        TVector.Select(TVector.LessThan(x, TVector.Zero), TVector.Zero, x);
}
