using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling of a channels-blocked plane (<see cref="Conv2DBlocked"/>'s output, still in cache)
/// into a smaller channels-blocked plane: a convolution followed by max pooling then writes only the
/// pooled values, never its full output. Each output is one vector of channels, the window's cells
/// taken in <see cref="Pool2D.MaxForward(ConvWindow, int, ReadOnlySpan{float}, Span{float}, Span{int})"/>'s order and kept only when strictly greater, so the values
/// are exactly that kernel's, NaNs included. Windows lie inside the plane (no padding).
/// </summary>
internal static unsafe class Conv2DBlockedPool
{
    /// <summary>Whether a pooling window is taken here: no padding, every window inside the plane.</summary>
    public static bool Handles(in ConvWindow pool) =>
        pool.PadTop == 0 && pool.PadLeft == 0 && pool.DilationHeight == 1 && pool.DilationWidth == 1
        && (pool.OutHeight - 1) * pool.StrideHeight + pool.KernelHeight <= pool.Height
        && (pool.OutWidth - 1) * pool.StrideWidth + pool.KernelWidth <= pool.Width;

    /// <summary>pooled[b, q, :] = the max over pool window q of plane[b, p, :], for <paramref name="blocks"/> blocks of <paramref name="lanes"/> channels.</summary>
    public static void Max(in ConvWindow pool, int blocks, int lanes, float* plane, float* pooled)
    {
        switch (lanes)
        {
            case 16: Max<Float512>(pool, blocks, plane, pooled); break;
            case 8: Max<Float256>(pool, blocks, plane, pooled); break;
            case 4: Max<Float128>(pool, blocks, plane, pooled); break;
            default: throw new InvalidOperationException($"max pool: no blocked kernel of {lanes} lanes");
        }
    }

    private static void Max<TVector>(ConvWindow pool, int blocks, float* plane, float* pooled) where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        for (int b = 0; b < blocks; b++)
        {
            float* source = plane + (long)b * pool.InputPixels * lanes;
            float* target = pooled + (long)b * pool.OutPixels * lanes;
            for (int oh = 0; oh < pool.OutHeight; oh++)
            for (int ow = 0; ow < pool.OutWidth; ow++, target += lanes)
            {
                float* corner = source + ((long)oh * pool.StrideHeight * pool.Width + ow * pool.StrideWidth) * lanes;
                var max = TVector.Load(corner);
                for (int kh = 0; kh < pool.KernelHeight; kh++)
                for (int kw = 0; kw < pool.KernelWidth; kw++)
                {
                    var value = TVector.Load(corner + ((long)kh * pool.Width + kw) * lanes);
                    max = TVector.Select(TVector.GreaterThan(value, max), value, max);
                }
                max.Store(target);
            }
        }
    }
}
