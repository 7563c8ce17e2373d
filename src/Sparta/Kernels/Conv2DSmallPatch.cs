using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// The convolution of one sample when its patch C·KH·KW is tiny (a first layer on 1 or 3 channels).
/// A GEMM with a depth of 9 spends its time packing and storing tiles rather than multiplying, so
/// here each output row is a short sum of im2col rows, computed straight into the output with
/// AVX-512, and the weight gradient a set of dot products with the output gradient.
/// </summary>
internal static unsafe class Conv2DSmallPatch
{
    private const int Lanes = 16;

    public static bool Handles(Conv2DShape shape) => Avx512F.IsSupported && shape.PatchSize <= 32;

    /// <summary>output[o, :] = Σ_p weights[o, p]·columns[p, :], four output channels per pass over the im2col rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Conv2DShape shape, float* weights, float* columns, float* output)
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

    /// <summary>All bits set in the first min(<paramref name="count"/>, 16) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(count)).AsSingle();
}
