using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling with its indices for a 2x2 window of stride 2 whose windows all lie inside the image, on
/// AVX2, eight outputs at a time from two rows of sixteen inputs (the 128-bit path takes four). A
/// lane-wise shuffle of two vectors gives the even or the odd columns with the outputs in the order
/// 0, 1, 4, 5, 2, 3, 6, 7, the cells' indices are built in that order too, and one permutation puts
/// maxima and indices in place before they are stored. The candidates are taken in window order, each
/// kept only when strictly greater, so values and indices are exactly those of the general loop, ties
/// and NaNs included. A row's last vector ends at its last output (rows of at least eight outputs),
/// recomputing a few outputs the one before wrote; shorter rows are the 128-bit path's.
/// </summary>
internal static unsafe class Pool2DMax2x2Avx2
{
    private const int Lanes = 8;

    public static bool Handles(in ConvWindow w) =>
        Avx2.IsSupported && w.KernelHeight == 2 && w.KernelWidth == 2 && w.StrideHeight == 2 && w.StrideWidth == 2
        && w.PadTop == 0 && w.PadLeft == 0 && 2 * w.OutHeight <= w.Height && 2 * w.OutWidth <= w.Width && w.OutWidth >= Lanes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvWindow w, int planes, float* x, float* y, int* argmax)
    {
        int width = w.Width, outWidth = w.OutWidth;
        // The columns of a vector's even cells, in the order the shuffle leaves the outputs.
        var evenColumns = Vector256.Create(0, 2, 8, 10, 4, 6, 12, 14);
        var inOrder = Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7);
        var right = Vector256<int>.One;
        var below = Vector256.Create(width);
        var belowRight = Vector256.Create(width + 1);
        for (long plane = 0; plane < planes; plane++)
        {
            float* source = x + plane * w.InputPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int rowStart = 2 * oh * width;
                float* top = source + rowStart, bottom = top + width;
                long at = plane * w.OutPixels + (long)oh * outWidth;
                for (int ow = 0; ow < outWidth; ow += Lanes)
                {
                    int o = Math.Min(ow, outWidth - Lanes);
                    var (topEven, topOdd) = Split(top + 2 * o);
                    var (bottomEven, bottomOdd) = Split(bottom + 2 * o);
                    var first = Vector256.Create(rowStart + 2 * o) + evenColumns;
                    var max = topEven;
                    var index = first;
                    Take(ref max, ref index, topOdd, first + right);
                    Take(ref max, ref index, bottomEven, first + below);
                    Take(ref max, ref index, bottomOdd, first + belowRight);
                    Avx2.PermuteVar8x32(max, inOrder).Store(y + at + o);
                    Avx2.PermuteVar8x32(index, inOrder).Store(argmax + at + o);
                }
            }
        }
    }

    /// <summary>Sixteen consecutive values as their even and odd columns, outputs in the order 0, 1, 4, 5, 2, 3, 6, 7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Split(float* row)
    {
        var low = Avx.LoadVector256(row);
        var high = Avx.LoadVector256(row + Lanes);
        return (Avx.Shuffle(low, high, 0b10_00_10_00), Avx.Shuffle(low, high, 0b11_01_11_01));
    }

    /// <summary>Where <paramref name="candidate"/> beats the running maximum, takes it and its cell index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector256<float> max, ref Vector256<int> index, Vector256<float> candidate, Vector256<int> candidateIndex)
    {
        var greater = Vector256.GreaterThan(candidate, max);
        max = Vector256.ConditionalSelect(greater, candidate, max);
        index = Vector256.ConditionalSelect(greater.AsInt32(), candidateIndex, index);
    }
}
