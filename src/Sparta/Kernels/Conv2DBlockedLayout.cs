using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Between the channels-blocked plane <see cref="Conv2DBlocked"/> writes, [blocks][pixels][lanes], and
/// NCHW planes, both ways: each block of 8 channels by 8 pixels is transposed in AVX registers (a
/// block of 16 lanes as two such halves, so the 512-bit layout is not left to a scalar loop), at 4
/// lanes each block of 4 by 4 in SSE registers; channels of a partial block, the ragged pixels and
/// 4 lanes on a processor without SSE (ARM64) go one value at a time.
/// </summary>
internal static unsafe class Conv2DBlockedLayout
{
    /// <summary>output[c, p] = blocked[c / lanes, p, c % lanes] for c &lt; <paramref name="channels"/>; channels of a partial last block are dropped.</summary>
    public static void ToPlanes(int channels, int pixels, int lanes, float* blocked, float* output)
    {
        for (int c0 = 0; c0 < channels; c0 += lanes)
        {
            float* block = blocked + (long)c0 * pixels;
            int rows = Math.Min(lanes, channels - c0), square = Square(lanes), whole = Whole(square, rows), tail = whole > 0 ? pixels / square * square : 0;
            for (int h = 0; h < whole; h += square)
                for (int p = 0; p < tail; p += square)
                    if (square == 8) Transpose8(block + p * lanes + h, lanes, output + (long)(c0 + h) * pixels + p, pixels);
                    else Transpose4(block + p * lanes + h, lanes, output + (long)(c0 + h) * pixels + p, pixels);
            for (int i = 0; i < rows; i++)
            {
                float* source = block + i, target = output + (long)(c0 + i) * pixels;
                for (int q = i < whole ? tail : 0; q < pixels; q++) target[q] = source[q * lanes];
            }
        }
    }

    /// <summary>
    /// blocked[c / lanes, p, c % lanes] = planes[c, p] for the <paramref name="blocks"/> blocks, zero for
    /// the channels from <paramref name="channels"/> on (the padding of a partial last group). Block b
    /// starts <paramref name="blockStride"/> floats after block b − 1 (0: right after it, pixels·lanes),
    /// so several samples' blocks can be interleaved. With <paramref name="reluOutput"/> (planes of the same
    /// layout) each value is first multiplied by ReLU's slope there, as <see cref="BiasActivation.Backward"/>
    /// does (1 where the output is positive, else 0): a ReLU convolution's output gradient turned into its
    /// pre-activation gradient as it is read, bit for bit, without a pass of its own.
    /// </summary>
    public static void FromPlanes(int channels, int pixels, int lanes, int blocks, float* planes, float* blocked, long blockStride = 0,
        float* reluOutput = null)
    {
        if (blockStride == 0) blockStride = (long)pixels * lanes;
        for (int b = 0; b < blocks; b++)
        {
            int c0 = b * lanes, rows = Math.Clamp(channels - c0, 0, lanes), square = Square(lanes), whole = Whole(square, rows);
            int tail = whole > 0 ? pixels / square * square : 0;
            float* block = blocked + b * blockStride;
            for (int h = 0; h < whole; h += square)
            {
                long first = (long)(c0 + h) * pixels;
                for (int p = 0; p < tail; p += square)
                    if (square == 8) Transpose8(planes + first + p, pixels, block + p * lanes + h, lanes, reluOutput == null ? null : reluOutput + first + p);
                    else Transpose4(planes + first + p, pixels, block + p * lanes + h, lanes, reluOutput == null ? null : reluOutput + first + p);
            }
            for (int i = 0; i < lanes; i++)
            {
                long first = (long)(c0 + i) * pixels;
                float* target = block + i, source = planes + first, relu = reluOutput == null ? null : reluOutput + first;
                int q = i < whole ? tail : 0;
                if (i >= rows) for (; q < pixels; q++) target[q * lanes] = 0f;
                else if (relu == null) for (; q < pixels; q++) target[q * lanes] = source[q];
                else for (; q < pixels; q++) target[q * lanes] = source[q] * ReluSlope(relu[q]);
            }
        }
    }

    /// <summary>
    /// The side of the squares a block of <paramref name="lanes"/> is transposed in: 8 (<see cref="Transpose8"/>,
    /// AVX) for a multiple of 8 lanes, 4 (<see cref="Transpose4"/>, SSE) for 4 lanes, else 0 (one value at a time).
    /// </summary>
    private static int Square(int lanes) => Avx.IsSupported && lanes % 8 == 0 ? 8 : Sse.IsSupported && lanes == 4 ? 4 : 0;

    /// <summary>Channels of a block that go through the squares: the whole squares among its first <paramref name="rows"/>.</summary>
    private static int Whole(int square, int rows) => square == 0 ? 0 : rows / square * square;

    /// <summary>ReLU's slope at an output y, as <see cref="ReluOp"/> computes it: 1 where y &gt; 0, else +0 (so a NaN gradient stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReluSlope(float y) => y > 0f ? 1f : 0f;

    /// <summary>
    /// target[i·targetStride + j] = source[j·sourceStride + i] for an 8×8 block, each source value first
    /// multiplied by ReLU's slope at the same place of <paramref name="relu"/> when it is given.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(float* source, int sourceStride, float* target, int stride, float* relu = null)
    {
        Vector256<float> r0 = Row(source, relu, 0), r1 = Row(source, relu, sourceStride);
        Vector256<float> r2 = Row(source, relu, 2 * sourceStride), r3 = Row(source, relu, 3 * sourceStride);
        Vector256<float> r4 = Row(source, relu, 4 * sourceStride), r5 = Row(source, relu, 5 * sourceStride);
        Vector256<float> r6 = Row(source, relu, 6 * sourceStride), r7 = Row(source, relu, 7 * sourceStride);
        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves swapped across.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(target, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(target + stride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(target + 2 * stride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(target + 3 * stride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(target + 4 * stride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(target + 5 * stride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(target + 6 * stride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(target + 7 * stride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>
    /// target[i·targetStride + j] = source[j·sourceStride + i] for a 4×4 block (SSE), each source value
    /// first multiplied by ReLU's slope as in <see cref="Transpose8"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(float* source, int sourceStride, float* target, int stride, float* relu = null)
    {
        Vector128<float> r0 = Row4(source, relu, 0), r1 = Row4(source, relu, sourceStride);
        Vector128<float> r2 = Row4(source, relu, 2 * sourceStride), r3 = Row4(source, relu, 3 * sourceStride);
        // [r0₀ r1₀ r0₁ r1₁], [r0₂ r1₂ r0₃ r1₃] and the same of r2, r3; then their low and high pairs joined.
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackHigh(r0, r1), t2 = Sse.UnpackLow(r2, r3), t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(target, Sse.MoveLowToHigh(t0, t2));
        Sse.Store(target + stride, Sse.MoveHighToLow(t2, t0));
        Sse.Store(target + 2 * stride, Sse.MoveLowToHigh(t1, t3));
        Sse.Store(target + 3 * stride, Sse.MoveHighToLow(t3, t1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Row4(float* source, float* relu, int offset)
    {
        var row = Sse.LoadVector128(source + offset);
        return relu == null ? row : row * (Vector128.GreaterThan(Sse.LoadVector128(relu + offset), Vector128<float>.Zero) & Vector128<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row(float* source, float* relu, int offset)
    {
        var row = Avx.LoadVector256(source + offset);
        return relu == null ? row : row * (Vector256.GreaterThan(Avx.LoadVector256(relu + offset), Vector256<float>.Zero) & Vector256<float>.One);
    }
}
