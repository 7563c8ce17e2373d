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

    /// <summary>
    /// pooled[b, q, :] = the max over pool window q of plane[b, p, :], for <paramref name="blocks"/> blocks of
    /// <paramref name="lanes"/> channels. With <paramref name="cells"/> (the same layout as <paramref name="pooled"/>),
    /// each lane also gets the window cell its maximum came from, kh·KW + kw, as a float: what the backward of a
    /// training step needs instead of the whole plane (<see cref="Expand"/>).
    /// </summary>
    public static void Max(in ConvWindow pool, int blocks, int lanes, float* plane, float* pooled, float* cells = null)
    {
        switch (lanes)
        {
            case 16: Max<Float512>(pool, blocks, plane, pooled, cells); break;
            case 8: Max<Float256>(pool, blocks, plane, pooled, cells); break;
            case 4: Max<Float128>(pool, blocks, plane, pooled, cells); break;
            default: throw new InvalidOperationException($"max pool: no blocked kernel of {lanes} lanes");
        }
    }

    private static void Max<TVector>(ConvWindow pool, int blocks, float* plane, float* pooled, float* cells) where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        for (int b = 0; b < blocks; b++)
        {
            float* source = plane + (long)b * pool.InputPixels * lanes;
            long first = (long)b * pool.OutPixels * lanes;
            float* target = pooled + first, taken = cells == null ? null : cells + first;
            for (int oh = 0; oh < pool.OutHeight; oh++)
            for (int ow = 0; ow < pool.OutWidth; ow++, target += lanes)
            {
                float* corner = source + ((long)oh * pool.StrideHeight * pool.Width + ow * pool.StrideWidth) * lanes;
                var max = TVector.Load(corner);
                var cell = TVector.Zero;
                for (int kh = 0; kh < pool.KernelHeight; kh++)
                for (int kw = 0; kw < pool.KernelWidth; kw++)
                {
                    var value = TVector.Load(corner + ((long)kh * pool.Width + kw) * lanes);
                    var greater = TVector.GreaterThan(value, max);
                    max = TVector.Select(greater, value, max);
                    if (taken != null) cell = TVector.Select(greater, TVector.Create(kh * pool.KernelWidth + kw), cell);
                }
                max.Store(target);
                if (taken == null) continue;
                cell.Store(taken);
                taken += lanes;
            }
        }
    }

    /// <summary>
    /// Whether a window's cells never overlap (its stride is its size): each pixel of the plane then lies in
    /// at most one window, so <see cref="Expand"/> writes each once.
    /// </summary>
    public static bool Tiles(in ConvWindow pool) =>
        Handles(pool) && pool.StrideHeight == pool.KernelHeight && pool.StrideWidth == pool.KernelWidth;

    /// <summary>
    /// Max pooling's backward into a channels-blocked plane: target[b, p, :] = gradient[b, q, :] in the lanes whose
    /// maximum of window q came from pixel p (<paramref name="cells"/>, from <see cref="Max"/>), 0 in the others,
    /// for a window that <see cref="Tiles"/>. Pixels outside every window are not written (the caller keeps them 0).
    /// Pixel (h, w) of block b is at target + b·<paramref name="blockStride"/> + (h·<paramref name="rowPitch"/> + w)·lanes,
    /// so the plane may be a run of interleaved samples or the interior of a bordered buffer.
    /// </summary>
    public static void Expand(in ConvWindow pool, int blocks, int lanes, float* gradient, float* cells, float* target, long blockStride, int rowPitch)
    {
        switch (lanes)
        {
            case 16: Expand<Float512>(pool, blocks, gradient, cells, target, blockStride, rowPitch); break;
            case 8: Expand<Float256>(pool, blocks, gradient, cells, target, blockStride, rowPitch); break;
            case 4: Expand<Float128>(pool, blocks, gradient, cells, target, blockStride, rowPitch); break;
            default: throw new InvalidOperationException($"max pool: no blocked kernel of {lanes} lanes");
        }
    }

    private static void Expand<TVector>(ConvWindow pool, int blocks, float* gradient, float* cells, float* target, long blockStride, int rowPitch)
        where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count;
        for (int b = 0; b < blocks; b++)
        {
            long first = (long)b * pool.OutPixels * lanes;
            float* g = gradient + first, taken = cells + first, plane = target + b * blockStride;
            for (int oh = 0; oh < pool.OutHeight; oh++)
            for (int ow = 0; ow < pool.OutWidth; ow++, g += lanes, taken += lanes)
            {
                TVector value = TVector.Load(g), cell = TVector.Load(taken);
                float* corner = plane + ((long)oh * pool.StrideHeight * rowPitch + ow * pool.StrideWidth) * lanes;
                for (int kh = 0; kh < pool.KernelHeight; kh++)
                for (int kw = 0; kw < pool.KernelWidth; kw++)
                    (value & TVector.EqualTo(cell, TVector.Create(kh * pool.KernelWidth + kw))).Store(corner + ((long)kh * rowPitch + kw) * lanes);
            }
        }
    }
}
