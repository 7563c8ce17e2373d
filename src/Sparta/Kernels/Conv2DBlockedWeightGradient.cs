using System.Runtime.CompilerServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// A convolution's weight and bias gradients with the output channels along the vector lanes, as
/// <see cref="Conv2DBlocked"/> computes the forward pass: dW[o, k] = Σ over samples and pixels p of
/// dY[o, p] · X[cell k of p's window]. Each sample is copied once into a zero-bordered buffer and its
/// output gradient into the channels-blocked layout, [OC / lanes][pixels][lanes]; a tile of two
/// vectors of output channels by 6 patch cells sums in 12 registers over the pixels, each pixel
/// loading the two gradient vectors and broadcasting the 6 inputs from the bordered buffer in place.
/// A small plane is summed over a run of several samples at once (<see cref="SamplesPerRun"/>), their
/// bordered copies side by side and their gradients interleaved, so the tile's sums are loaded and
/// stored once a run rather than every few pixels. No im2col matrix is written and no GEMM operand
/// packed. The sums of a chunk's samples are added in sample order, in runs fixed by the shape, so a
/// chunk's result does not depend on which thread runs it.
/// </summary>
internal static unsafe class Conv2DBlockedWeightGradient
{
    /// <summary>Patch cells per tile (6 cells × 2 vectors: 12 registers, as the forward tile).</summary>
    private const int TileCells = 6;

    /// <summary>A group's output gradient plane above this many bytes no longer stays in L2 while every tile of cells reads it.</summary>
    private const int MaxGroupPlaneBytes = 256 * 1024;

    /// <summary>
    /// A tile sums over at least this many pixels a run when the bordered copies fit: over 4 pixels
    /// (ResNet-18's last stage at 64x64) the tile's 12 loads and 12 stores of its sums cost as much as its
    /// 48 multiply-adds, and the 512x512x3x3 layer's backward took 1.5 times the im2col GEMM's time.
    /// </summary>
    private const int MinRunPixels = 64;

    /// <summary>
    /// Weight gradients above this many bytes go through the im2col GEMM: every run of samples reads and
    /// writes all the sums once, which then come from memory, not cache. ResNet-18's 512x512x3x3 layer
    /// (9.4 MB) took 1.15 times the GEMM's time this way and its 256x512x3x3 one (4.7 MB) 1.2 times; the
    /// 256x256x3x3 one (2.4 MB) 0.85 times.
    /// </summary>
    private const int MaxWeightBytes = 4 << 20;

    /// <summary>The lanes this shape's weight gradient runs at here (<see cref="Conv2DBlocked.Widest"/>), 0 when im2col and a GEMM serve.</summary>
    public static int LanesFor(Conv2DShape shape) => Conv2DBlocked.Widest(shape, &Handles);

    /// <summary>
    /// Whether this shape's weight gradient runs here with vectors of <paramref name="lanes"/> floats:
    /// a patch of at least two cells (a 1x1 convolution's GEMM reads the input in place), a sample, a
    /// group's gradient plane and the sums that stay in cache, at most a quarter of the lanes or cells wasted.
    /// </summary>
    public static bool Handles(Conv2DShape shape, int lanes)
    {
        if (!Conv2DBlocked.Runs(lanes) || shape.Window.KernelPixels == 1) return false;
        if ((long)shape.WeightCount * sizeof(float) > MaxWeightBytes) return false;
        int group = 2 * lanes;
        if ((long)group * shape.Window.OutPixels * sizeof(float) > MaxGroupPlaneBytes) return false;
        if ((long)Conv2DBlocked.BorderedLength(shape) * sizeof(float) > Conv2DBlocked.MaxBorderedBytes) return false;
        return Conv2DBlocked.WastesLittle(shape.OutChannels, group) && Conv2DBlocked.WastesLittle(shape.PatchSize, TileCells);
    }

    /// <summary>
    /// Samples summed together by each tile: enough for <see cref="MinRunPixels"/> pixels, as many as
    /// keep their bordered copies within <see cref="Conv2DBlocked.MaxBorderedBytes"/>, at least one.
    /// Fixed by the shape alone, so the sums' order is too.
    /// </summary>
    public static int SamplesPerRun(Conv2DShape shape)
    {
        int pixels = shape.Window.OutPixels, wanted = (MinRunPixels + pixels - 1) / pixels;
        long fit = Conv2DBlocked.MaxBorderedBytes / ((long)Conv2DBlocked.BorderedLength(shape) * sizeof(float));
        return (int)Math.Clamp(Math.Min(wanted, fit), 1, wanted);
    }

    /// <summary>Floats of a worker's scratch: a run's bordered samples and blocked output gradients, and the blocked sums.</summary>
    public static int ScratchLength(Conv2DShape shape, int lanes) =>
        SamplesPerRun(shape) * (Conv2DBlocked.BorderedLength(shape) + Conv2DBlocked.BlockedLength(shape, lanes)) + SumsLength(shape, lanes);

    /// <summary>Ints of <see cref="Offsets"/>: one per patch cell, then one per pixel of a run.</summary>
    public static int OffsetCount(Conv2DShape shape) => shape.PatchSize + SamplesPerRun(shape) * shape.Window.OutPixels;

    /// <summary>
    /// <see cref="Conv2DBlocked.Offsets"/> for the NCHW bordered sample, its pixels' offsets repeated
    /// for each sample of a run, each a bordered sample further.
    /// </summary>
    public static void Offsets(Conv2DShape shape, int* offsets)
    {
        Conv2DBlocked.Offsets(shape, offsets);
        int pixels = shape.Window.OutPixels, bordered = Conv2DBlocked.BorderedLength(shape);
        int* first = offsets + shape.PatchSize;
        for (int s = 1, runSamples = SamplesPerRun(shape); s < runSamples; s++)
        for (int p = 0; p < pixels; p++)
            first[s * pixels + p] = first[p] + s * bordered;
    }

    /// <summary>
    /// weightSum [OC, C·KH·KW] and, unless null, biasSum [OC] = the gradients summed over samples
    /// [start, start + count), in sample order. <paramref name="offsets"/> was filled by
    /// <see cref="Offsets"/>; <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats. With
    /// <paramref name="reluOutput"/> (the convolution's ReLU output, NCHW like the gradient) the output
    /// gradient is multiplied by ReLU's slope as it is read.
    /// </summary>
    public static void Chunk(Conv2DShape shape, int lanes, float* input, float* outputGrad, int start, int count, int* offsets,
        float* scratch, float* weightSum, float* biasSum, float* reluOutput = null) =>
        Chunk(shape, lanes, input, start, count, offsets, scratch, weightSum, biasSum, new PlanesGradient(shape, lanes, outputGrad, reluOutput));

    /// <summary>
    /// <see cref="Chunk(Conv2DShape, int, float*, float*, int, int, int*, float*, float*, float*, float*)"/> with each
    /// sample's output gradient written into the blocked run by <paramref name="gradient"/>.
    /// </summary>
    public static void Chunk<TGradient>(Conv2DShape shape, int lanes, float* input, int start, int count, int* offsets,
        float* scratch, float* weightSum, float* biasSum, in TGradient gradient) where TGradient : struct, IBlockedOutputGradient
    {
        int pixels = shape.Window.OutPixels, groups = Groups(shape, lanes), perRun = SamplesPerRun(shape);
        int borderedLength = Conv2DBlocked.BorderedLength(shape);
        float* bordered = scratch, blocked = bordered + (long)perRun * borderedLength;
        float* sums = blocked + (long)perRun * Conv2DBlocked.BlockedLength(shape, lanes);
        new Span<float>(sums, SumsLength(shape, lanes)).Clear();
        new Span<float>(bordered, perRun * borderedLength).Clear();
        for (int n = start; n < start + count; n += perRun)
        {
            int samples = Math.Min(perRun, start + count - n), runPixels = samples * pixels;
            // A shorter last run places the blocks closer together: pixels left unwritten must be 0 in this run's places.
            if (!gradient.WritesEveryPixel) new Span<float>(blocked, samples * Conv2DBlocked.BlockedLength(shape, lanes)).Clear();
            for (int s = 0; s < samples; s++)
            {
                Conv2DBlocked.CopyInterior(shape, input + (long)(n + s) * shape.InputSize, bordered + (long)s * borderedLength);
                gradient.Write(n + s, blocked + (long)s * pixels * lanes, (long)runPixels * lanes);
            }
            switch (lanes)
            {
                case 16: Run<Float512>(shape, groups, runPixels, offsets, bordered, blocked, sums); break;
                case 8: Run<Float256>(shape, groups, runPixels, offsets, bordered, blocked, sums); break;
                case 4: Run<Float128>(shape, groups, runPixels, offsets, bordered, blocked, sums); break;
                default: throw new InvalidOperationException($"conv2d: no blocked kernel of {lanes} lanes");
            }
        }
        Unpack(shape, lanes, sums, weightSum, biasSum);
    }

    /// <summary>The output gradient of NCHW planes, times ReLU's slope at <paramref name="reluOutput"/> when given.</summary>
    private readonly struct PlanesGradient(Conv2DShape shape, int lanes, float* outputGrad, float* reluOutput) : IBlockedOutputGradient
    {
        public bool WritesEveryPixel => true;

        public void Write(int sample, float* blocked, long blockStride)
        {
            long at = (long)sample * shape.OutputSize;
            Conv2DBlockedLayout.FromPlanes(shape.OutChannels, shape.Window.OutPixels, lanes, 2 * Groups(shape, lanes), outputGrad + at,
                blocked, blockStride, reluOutput == null ? null : reluOutput + at);
        }
    }

    internal static int Groups(Conv2DShape shape, int lanes) => (shape.OutChannels + 2 * lanes - 1) / (2 * lanes);

    /// <summary>[groups][PatchSize][2·lanes] weight sums, then [groups][2·lanes] bias sums.</summary>
    private static int SumsLength(Conv2DShape shape, int lanes) => Groups(shape, lanes) * 2 * lanes * (shape.PatchSize + 1);

    /// <summary>Adds a run of <paramref name="pixels"/> pixels (a sample's or several samples') to the sums.</summary>
    private static void Run<TVector>(Conv2DShape shape, int groups, int pixels, int* offsets, float* bordered, float* blocked, float* sums)
        where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count, patch = shape.PatchSize, group = 2 * lanes;
        int* pixelOffsets = offsets + patch;
        float* biasSums = sums + (long)groups * group * patch;
        for (int g = 0; g < groups; g++)
        {
            float* low = blocked + (long)2 * g * pixels * lanes, high = low + (long)pixels * lanes;
            float* groupSums = sums + (long)g * group * patch;
            for (int k = 0; k < patch; k += TileCells)
                Tile<TVector>(offsets + k, Math.Min(TileCells, patch - k), pixelOffsets, pixels, bordered, low, high, groupSums + (long)k * group);
            BiasTile<TVector>(pixels, low, high, biasSums + (long)g * group);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TVector>(int* cells, int count, int* pixelOffsets, int pixels, float* bordered, float* low, float* high, float* sums)
        where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count, group = 2 * lanes;
        // Cells past a partial tile's end read the last cell's inputs (always inside the buffer); their sums are never stored.
        // One pointer per cell and one offset per pixel, as the forward tile has one pointer per pixel and one offset per cell.
        float* x0 = bordered + cells[0], x1 = bordered + cells[Math.Min(1, count - 1)], x2 = bordered + cells[Math.Min(2, count - 1)];
        float* x3 = bordered + cells[Math.Min(3, count - 1)], x4 = bordered + cells[Math.Min(4, count - 1)];
        float* x5 = bordered + cells[Math.Min(5, count - 1)];
        TVector c00 = TVector.Load(sums), c01 = TVector.Load(sums + lanes), c10 = TVector.Zero, c11 = TVector.Zero, c20 = TVector.Zero, c21 = TVector.Zero;
        TVector c30 = TVector.Zero, c31 = TVector.Zero, c40 = TVector.Zero, c41 = TVector.Zero, c50 = TVector.Zero, c51 = TVector.Zero;
        if (count > 1) { c10 = TVector.Load(sums + group); c11 = TVector.Load(sums + group + lanes); }
        if (count > 2) { c20 = TVector.Load(sums + 2 * group); c21 = TVector.Load(sums + 2 * group + lanes); }
        if (count > 3) { c30 = TVector.Load(sums + 3 * group); c31 = TVector.Load(sums + 3 * group + lanes); }
        if (count > 4) { c40 = TVector.Load(sums + 4 * group); c41 = TVector.Load(sums + 4 * group + lanes); }
        if (count > 5) { c50 = TVector.Load(sums + 5 * group); c51 = TVector.Load(sums + 5 * group + lanes); }
        for (int p = 0; p < pixels; p++, low += lanes, high += lanes)
        {
            int at = pixelOffsets[p];
            TVector d0 = TVector.Load(low), d1 = TVector.Load(high), v;
            v = TVector.Broadcast(x0 + at); c00 = TVector.MultiplyAddEstimate(v, d0, c00); c01 = TVector.MultiplyAddEstimate(v, d1, c01);
            v = TVector.Broadcast(x1 + at); c10 = TVector.MultiplyAddEstimate(v, d0, c10); c11 = TVector.MultiplyAddEstimate(v, d1, c11);
            v = TVector.Broadcast(x2 + at); c20 = TVector.MultiplyAddEstimate(v, d0, c20); c21 = TVector.MultiplyAddEstimate(v, d1, c21);
            v = TVector.Broadcast(x3 + at); c30 = TVector.MultiplyAddEstimate(v, d0, c30); c31 = TVector.MultiplyAddEstimate(v, d1, c31);
            v = TVector.Broadcast(x4 + at); c40 = TVector.MultiplyAddEstimate(v, d0, c40); c41 = TVector.MultiplyAddEstimate(v, d1, c41);
            v = TVector.Broadcast(x5 + at); c50 = TVector.MultiplyAddEstimate(v, d0, c50); c51 = TVector.MultiplyAddEstimate(v, d1, c51);
        }
        c00.Store(sums); c01.Store(sums + lanes); if (count == 1) return;
        c10.Store(sums + group); c11.Store(sums + group + lanes); if (count == 2) return;
        c20.Store(sums + 2 * group); c21.Store(sums + 2 * group + lanes); if (count == 3) return;
        c30.Store(sums + 3 * group); c31.Store(sums + 3 * group + lanes); if (count == 4) return;
        c40.Store(sums + 4 * group); c41.Store(sums + 4 * group + lanes); if (count == 5) return;
        c50.Store(sums + 5 * group); c51.Store(sums + 5 * group + lanes);
    }

    private static void BiasTile<TVector>(int pixels, float* low, float* high, float* sums) where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        TVector s0 = TVector.Load(sums), s1 = TVector.Load(sums + lanes);
        for (int p = 0; p < pixels; p++)
        {
            s0 += TVector.Load(low + (long)p * lanes);
            s1 += TVector.Load(high + (long)p * lanes);
        }
        s0.Store(sums);
        s1.Store(sums + lanes);
    }

    /// <summary>The blocked sums into [OC, PatchSize] weights and [OC] biases; the lanes of a partial last group are dropped.</summary>
    private static void Unpack(Conv2DShape shape, int lanes, float* sums, float* weightSum, float* biasSum)
    {
        int group = 2 * lanes, patch = shape.PatchSize;
        float* biasSums = sums + (long)Groups(shape, lanes) * group * patch;
        for (int o = 0; o < shape.OutChannels; o++)
        {
            float* source = sums + (long)(o / group) * group * patch + o % group;
            float* target = weightSum + (long)o * patch;
            for (int k = 0; k < patch; k++) target[k] = source[(long)k * group];
            if (biasSum != null) biasSum[o] = biasSums[o];
        }
    }
}

/// <summary>
/// Where <see cref="Conv2DBlockedWeightGradient.Chunk{TGradient}"/> gets a sample's output gradient: written into the
/// channels-blocked run, block b at blocked + b·blockStride, [pixels][lanes] (a struct, so a call allocates nothing).
/// </summary>
internal unsafe interface IBlockedOutputGradient
{
    /// <summary>Whether <see cref="Write"/> writes every pixel of every block; if not, the others are kept 0.</summary>
    bool WritesEveryPixel { get; }

    void Write(int sample, float* blocked, long blockStride);
}
