using System.Runtime.CompilerServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling with its indices for a 2x2 window of stride 2 whose windows all lie inside the image,
/// written once for every vector width (<see cref="IFloatVector{TSelf}"/>): a vector of outputs at a time
/// from two rows of twice as many inputs, split into their even and odd columns. The four candidates
/// are taken in window order, each kept only when strictly greater, so values and indices are exactly
/// those of the general loop, ties and NaNs included. The indices ride along as floats (whole numbers
/// below 2²⁴, exact) and are stored as ints. A row's last vector ends at its last output, recomputing a
/// few the one before wrote; a row shorter than a vector goes one output at a time through the same
/// steps (<see cref="Float1"/>). Backward is <see cref="Pool2DMax2x2Backward"/>.
/// </summary>
internal static unsafe class Pool2DMax2x2
{
    public static bool Handles(in ConvWindow w) =>
        VectorWidth.Uses128 && BitConverter.IsLittleEndian && IsInside2x2(w) && w.InputPixels < 1 << 24;

    /// <summary>Whether the windows are 2x2 of stride 2 and all lie inside the image: the usual CNN downsampling the 2x2 kernels take.</summary>
    public static bool IsInside2x2(in ConvWindow w) =>
        w.KernelHeight == 2 && w.KernelWidth == 2 && w.StrideHeight == 2 && w.StrideWidth == 2
        && w.PadTop == 0 && w.PadLeft == 0 && 2 * w.OutHeight <= w.Height && 2 * w.OutWidth <= w.Width;

    /// <summary>The 256-bit kernel where it runs and a row fills a vector of it, the 128-bit one otherwise.</summary>
    public static void Forward(in ConvWindow w, int planes, float* x, float* y, int* argmax)
    {
        if (VectorWidth.Uses256 && w.OutWidth >= Float256.Count) Forward<Float256>(w, planes, x, y, argmax);
        else Forward<Float128>(w, planes, x, y, argmax);
    }

    /// <summary>The columns of a vector's even cells, 0, 2, 4, ...: added to a row's start, where each window of a vector begins.</summary>
    internal static TVector EvenColumns<TVector>() where TVector : struct, IFloatVector<TVector>
    {
        float* ramp = stackalloc float[TVector.Count];
        for (int lane = 0; lane < TVector.Count; lane++) ramp[lane] = 2 * lane;
        return TVector.Load(ramp);
    }

    /// <summary>One width's kernel (the tests run every width against the definition).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward<TVector>(in ConvWindow w, int planes, float* x, float* y, int* argmax)
        where TVector : struct, IFloatVector<TVector>
    {
        int lanes = TVector.Count, width = w.Width, outWidth = w.OutWidth;
        var evenColumns = EvenColumns<TVector>();
        for (long plane = 0; plane < planes; plane++)
        {
            float* source = x + plane * w.InputPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int rowStart = 2 * oh * width;
                float* top = source + rowStart;
                long at = plane * w.OutPixels + (long)oh * outWidth;
                if (outWidth < lanes)
                {
                    for (int ow = 0; ow < outWidth; ow++) Windows(top, rowStart, width, Float1.Zero, ow, y + at, argmax + at);
                    continue;
                }
                for (int ow = 0; ow < outWidth; ow += lanes)
                    Windows(top, rowStart, width, evenColumns, Math.Min(ow, outWidth - lanes), y + at, argmax + at);
            }
        }
    }

    /// <summary>Outputs [ow, ow + lanes) of the row whose windows' top row starts at cell <paramref name="rowStart"/> of the plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Windows<TVector>(float* top, int rowStart, int width, TVector evenColumns, int ow, float* y, int* argmax)
        where TVector : struct, IFloatVector<TVector>
    {
        var (topEven, topOdd) = TVector.LoadEvenOdd(top + 2 * ow);
        var (bottomEven, bottomOdd) = TVector.LoadEvenOdd(top + width + 2 * ow);
        var first = TVector.Create(rowStart + 2 * ow) + evenColumns;
        var max = topEven;
        var index = first;
        Take(ref max, ref index, topOdd, first + TVector.One);
        Take(ref max, ref index, bottomEven, first + TVector.Create(width));
        Take(ref max, ref index, bottomOdd, first + TVector.Create(width + 1));
        max.Store(y + ow);
        index.StoreAsInt32(argmax + ow);
    }

    /// <summary>Where <paramref name="candidate"/> beats the running maximum, takes it and its cell index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take<TVector>(ref TVector max, ref TVector index, TVector candidate, TVector candidateIndex)
        where TVector : struct, IFloatVector<TVector>
    {
        var greater = TVector.GreaterThan(candidate, max);
        max = TVector.Select(greater, candidate, max);
        index = TVector.Select(greater, candidateIndex, index);
    }
}
