using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling whose windows all lie inside the image (no border: ResNet's and Inception's 3×3
/// stride-2 pools after explicit zeros, the usual 2×2) on AVX2, 8 outputs of a row at a time: each
/// cell of the window is gathered for the 8 outputs (any stride) and compared in window order with a
/// strict "greater", so the maximum and its index are exactly those of the general loop, ties and
/// NaNs included. A row's ragged end is one more vector ending at its last output (rows of at
/// least 8). Backward routes the gradients without the general loop's divisions: a recorded index
/// is checked against its window row by row.
/// </summary>
internal static unsafe class Pool2DMaxAvx2
{
    private const int Lanes = 8;

    public static bool Handles(in ConvWindow w) =>
        Avx2.IsSupported && VectorWidth.Uses256 && w.PadTop == 0 && w.PadLeft == 0 && w.OutWidth >= Lanes
        && (w.OutHeight - 1) * w.StrideHeight + w.KernelHeight <= w.Height
        && (w.OutWidth - 1) * w.StrideWidth + w.KernelWidth <= w.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvWindow w, int planes, float* x, float* y, int* argmax)
    {
        var columns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * w.StrideWidth;
        for (long plane = 0; plane < planes; plane++)
        {
            float* source = x + plane * w.InputPixels;
            long outBase = plane * w.OutPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int rowStart = oh * w.StrideHeight * w.Width;
                for (int ow = 0; ow < w.OutWidth; ow += Lanes)
                {
                    // The last vector of a row ends at its last output, recomputing a few the one before wrote.
                    int at = Math.Min(ow, w.OutWidth - Lanes);
                    var first = Vector256.Create(rowStart + at * w.StrideWidth) + columns;
                    var max = Avx2.GatherVector256(source, first, sizeof(float));
                    var index = first;
                    for (int kh = 0; kh < w.KernelHeight; kh++)
                    for (int kw = kh == 0 ? 1 : 0; kw < w.KernelWidth; kw++)
                    {
                        var cell = first + Vector256.Create(kh * w.Width + kw);
                        var value = Avx2.GatherVector256(source, cell, sizeof(float));
                        var greater = Vector256.GreaterThan(value, max);
                        max = Vector256.ConditionalSelect(greater, value, max);
                        index = Vector256.ConditionalSelect(greater.AsInt32(), cell, index);
                    }
                    long to = outBase + oh * w.OutWidth + at;
                    Vector256.Store(max, y + to);
                    Vector256.Store(index, argmax + to);
                }
            }
        }
    }

    /// <summary>dx (=, or += when <paramref name="accumulate"/>) each output gradient added at its recorded cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(in ConvWindow w, int planes, float* dy, int* argmax, float* dx, bool accumulate)
    {
        if (!accumulate) new Span<float>(dx, planes * w.InputPixels).Clear();
        for (long plane = 0; plane < planes; plane++)
        {
            float* target = dx + plane * w.InputPixels;
            long t = plane * w.OutPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            for (int ow = 0; ow < w.OutWidth; ow++, t++)
            {
                int at = argmax[t], offset = at - (oh * w.StrideHeight * w.Width + ow * w.StrideWidth);
                if (!InWindow(w, offset))
                    throw new ArgumentException($"max pool backward: argmax[{t}] must be a cell of its window, got {at}", nameof(argmax));
                target[at] += dy[t];
            }
        }
    }

    /// <summary>Whether <paramref name="offset"/> from a window's top-left cell is one of its cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InWindow(in ConvWindow w, int offset)
    {
        for (int kh = 0; kh < w.KernelHeight; kh++)
            if ((uint)(offset - kh * w.Width) < (uint)w.KernelWidth) return true;
        return false;
    }
}
