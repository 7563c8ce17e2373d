using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// The convolution of one sample when its patch C·KH·KW is tiny (a first layer on 1 or 3 channels).
/// A GEMM with a depth of 9 spends its time packing and storing tiles rather than multiplying, so
/// here each output row is a short sum of im2col rows, computed straight into the output with
/// AVX-512 or AVX, and the weight gradient (AVX-512 only) a set of dot products with the output gradient.
/// </summary>
internal static unsafe class Conv2DSmallPatch
{
    private const int Lanes = 16;

    private static bool Uses512 => Avx512F.IsSupported && VectorWidth.Uses512;

    /// <summary>Whether the weight gradient (<see cref="AccumulateWeightGradient"/>, AVX-512 only) takes this shape.</summary>
    public static bool Handles(Conv2DShape shape) => Uses512 && shape.PatchSize <= 32;

    /// <summary>Whether <see cref="Forward"/> takes this shape: with AVX-512, or 8 lanes at a time with AVX.</summary>
    public static bool HandlesForward(Conv2DShape shape) => (Uses512 || Avx.IsSupported && VectorWidth.Uses256) && shape.PatchSize <= 32;

    /// <summary>
    /// output[o, :] = Σ_p weights[o, p]·columns[p, :], four output channels per pass over the im2col rows.
    /// Each product is rounded, then added, in p order, on every path: the AVX one gives the AVX-512 one's bits.
    /// </summary>
    public static void Forward(Conv2DShape shape, float* weights, float* columns, float* output)
    {
        if (Uses512) ForwardAvx512(shape, weights, columns, output);
        else ForwardAvx(shape, weights, columns, output);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardAvx512(Conv2DShape shape, float* weights, float* columns, float* output)
    {
        int pixels = shape.Window.OutPixels, patch = shape.PatchSize;
        for (int o = 0; o < shape.OutChannels; o += 4)
        {
            int rows = Math.Min(4, shape.OutChannels - o);
            // Missing channels of a last partial group repeat the first; their sums are computed and dropped.
            float* w0 = weights + o * patch;
            float* w1 = rows > 1 ? w0 + patch : w0, w2 = rows > 2 ? w0 + 2 * patch : w0, w3 = rows > 3 ? w0 + 3 * patch : w0;
            float* y = output + (long)o * pixels;
            for (int at = 0; at < pixels; at += Lanes)
            {
                var mask = Mask(pixels - at);
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int p = 0; p < patch; p++)
                {
                    var c = Avx512F.MaskLoad(columns + (long)p * pixels + at, mask, Vector512<float>.Zero);
                    a0 += c * w0[p];
                    a1 += c * w1[p];
                    a2 += c * w2[p];
                    a3 += c * w3[p];
                }
                Avx512F.MaskStore(y + at, mask, a0);
                if (rows > 1) Avx512F.MaskStore(y + pixels + at, mask, a1);
                if (rows > 2) Avx512F.MaskStore(y + 2 * pixels + at, mask, a2);
                if (rows > 3) Avx512F.MaskStore(y + 3 * pixels + at, mask, a3);
            }
        }
    }

    /// <summary>
    /// <see cref="ForwardAvx512"/> with 8-lane vectors, two of them (16 pixels) per pass so each weight
    /// broadcast serves two; a ragged end is read through AVX's masked load and stored masked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardAvx(Conv2DShape shape, float* weights, float* columns, float* output)
    {
        int pixels = shape.Window.OutPixels, patch = shape.PatchSize;
        for (int o = 0; o < shape.OutChannels; o += 4)
        {
            int rows = Math.Min(4, shape.OutChannels - o);
            float* w0 = weights + o * patch;
            float* w1 = rows > 1 ? w0 + patch : w0, w2 = rows > 2 ? w0 + 2 * patch : w0, w3 = rows > 3 ? w0 + 3 * patch : w0;
            float* y = output + (long)o * pixels;
            int at = 0;
            for (; at + 2 * NarrowLanes <= pixels; at += 2 * NarrowLanes)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
                for (int p = 0; p < patch; p++)
                {
                    float* row = columns + (long)p * pixels + at;
                    Vector256<float> c = Vector256.Load(row), d = Vector256.Load(row + NarrowLanes);
                    a0 += c * w0[p]; b0 += d * w0[p];
                    a1 += c * w1[p]; b1 += d * w1[p];
                    a2 += c * w2[p]; b2 += d * w2[p];
                    a3 += c * w3[p]; b3 += d * w3[p];
                }
                Vector256.Store(a0, y + at); Vector256.Store(b0, y + at + NarrowLanes);
                if (rows > 1) { Vector256.Store(a1, y + pixels + at); Vector256.Store(b1, y + pixels + at + NarrowLanes); }
                if (rows > 2) { Vector256.Store(a2, y + 2 * pixels + at); Vector256.Store(b2, y + 2 * pixels + at + NarrowLanes); }
                if (rows > 3) { Vector256.Store(a3, y + 3 * pixels + at); Vector256.Store(b3, y + 3 * pixels + at + NarrowLanes); }
            }
            for (; at < pixels; at += NarrowLanes)
            {
                var mask = NarrowMask(pixels - at);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int p = 0; p < patch; p++)
                {
                    var c = Avx.MaskLoad(columns + (long)p * pixels + at, mask);
                    a0 += c * w0[p];
                    a1 += c * w1[p];
                    a2 += c * w2[p];
                    a3 += c * w3[p];
                }
                Avx.MaskStore(y + at, mask, a0);
                if (rows > 1) Avx.MaskStore(y + pixels + at, mask, a1);
                if (rows > 2) Avx.MaskStore(y + 2 * pixels + at, mask, a2);
                if (rows > 3) Avx.MaskStore(y + 3 * pixels + at, mask, a3);
            }
        }
    }

    /// <summary>
    /// gradientT[p, o] += Σ_pixels outputGrad[o, :]·columns[p, :] (the transposed weight gradient the
    /// GEMM path also produces), four patch rows per pass over the output gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateWeightGradient(Conv2DShape shape, float* columns, float* outputGrad, float* gradientT)
    {
        int pixels = shape.Window.OutPixels, patch = shape.PatchSize, oc = shape.OutChannels;
        for (int o = 0; o < oc; o++)
        {
            float* dy = outputGrad + (long)o * pixels;
            for (int p = 0; p < patch; p += 4)
            {
                int count = Math.Min(4, patch - p);
                float* c0 = columns + (long)p * pixels;
                float* c1 = count > 1 ? c0 + pixels : c0, c2 = count > 2 ? c0 + 2 * pixels : c0, c3 = count > 3 ? c0 + 3 * pixels : c0;
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (int at = 0; at < pixels; at += Lanes)
                {
                    var mask = Mask(pixels - at);
                    var g = Avx512F.MaskLoad(dy + at, mask, Vector512<float>.Zero);
                    a0 += g * Avx512F.MaskLoad(c0 + at, mask, Vector512<float>.Zero);
                    a1 += g * Avx512F.MaskLoad(c1 + at, mask, Vector512<float>.Zero);
                    a2 += g * Avx512F.MaskLoad(c2 + at, mask, Vector512<float>.Zero);
                    a3 += g * Avx512F.MaskLoad(c3 + at, mask, Vector512<float>.Zero);
                }
                gradientT[p * oc + o] += Vector512.Sum(a0);
                if (count > 1) gradientT[(p + 1) * oc + o] += Vector512.Sum(a1);
                if (count > 2) gradientT[(p + 2) * oc + o] += Vector512.Sum(a2);
                if (count > 3) gradientT[(p + 3) * oc + o] += Vector512.Sum(a3);
            }
        }
    }

    private const int NarrowLanes = 8;

    /// <summary>All bits set in the first min(<paramref name="count"/>, 8) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NarrowMask(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    /// <summary>All bits set in the first min(<paramref name="count"/>, 16) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(count)).AsSingle();
}
