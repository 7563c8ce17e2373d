using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling with its indices for a 2x2 window of stride 2 whose windows all lie inside the image,
/// written with the cross-platform Vector128 API (SSE on x64 without AVX-512, NEON on ARM64): four
/// outputs at a time from two rows of eight inputs, whose even and odd columns are the low and high
/// halves of four 64-bit pairs. The four candidates are taken in window order, each kept only when
/// strictly greater, so values and indices are exactly those of the general loop, ties and NaNs
/// included; a row's last outputs (fewer than four) take the same steps one at a time. Backward writes
/// each 2x2 block whole (the gradient at the recorded cell, zero elsewhere), so it needs no clearing pass
/// and no scattered adds: the four output gradients and indices are doubled up into the eight cells of a
/// row pair's top and bottom halves.
/// </summary>
internal static unsafe class Pool2DMaxVector128
{
    public static bool Handles(in ConvWindow w) =>
        Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian
        && w.KernelHeight == 2 && w.KernelWidth == 2 && w.StrideHeight == 2 && w.StrideWidth == 2
        && w.PadTop == 0 && w.PadLeft == 0 && 2 * w.OutHeight <= w.Height && 2 * w.OutWidth <= w.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvWindow w, int planes, float* x, float* y, int* argmax)
    {
        int width = w.Width, outWidth = w.OutWidth;
        var evenColumns = Vector128.Create(0, 2, 4, 6);
        var right = Vector128<int>.One;
        var below = Vector128.Create(width);
        var belowRight = Vector128.Create(width + 1);
        for (long plane = 0; plane < planes; plane++)
        {
            float* source = x + plane * w.InputPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int rowStart = 2 * oh * width;
                float* top = source + rowStart, bottom = top + width;
                long at = plane * w.OutPixels + (long)oh * outWidth;
                float* values = y + at;
                int* indices = argmax + at;
                int ow = 0;
                for (; ow <= outWidth - 4; ow += 4)
                {
                    var (topEven, topOdd) = Split(top + 2 * ow);
                    var (bottomEven, bottomOdd) = Split(bottom + 2 * ow);
                    var first = Vector128.Create(rowStart + 2 * ow) + evenColumns;
                    var max = topEven;
                    var index = first;
                    Take(ref max, ref index, topOdd, first + right);
                    Take(ref max, ref index, bottomEven, first + below);
                    Take(ref max, ref index, bottomOdd, first + belowRight);
                    max.Store(values + ow);
                    index.Store(indices + ow);
                }
                for (; ow < outWidth; ow++)
                {
                    int first = rowStart + 2 * ow, best = first;
                    float max = source[first];
                    Take(ref max, ref best, source, first + 1);
                    Take(ref max, ref best, source, first + width);
                    Take(ref max, ref best, source, first + width + 1);
                    values[ow] = max;
                    indices[ow] = best;
                }
            }
        }
    }

    /// <summary>dx (=, or += when <paramref name="accumulate"/>) each output gradient at its recorded cell, zero at the other three.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(in ConvWindow w, int planes, float* dy, int* argmax, float* dx, bool accumulate)
    {
        // Cells no window covers (a trailing odd row or column) are never written below.
        if (!accumulate && (2 * w.OutHeight < w.Height || 2 * w.OutWidth < w.Width))
            new Span<float>(dx, planes * w.InputPixels).Clear();
        int width = w.Width, outWidth = w.OutWidth;
        var evenColumns = Vector128.Create(0, 2, 4, 6);
        var cells = Vector128.Create(0, 1, 2, 3);
        var lowPairs = Vector128.Create(0, 0, 1, 1);
        var highPairs = Vector128.Create(2, 2, 3, 3);
        var one = Vector128<int>.One;
        var below = Vector128.Create(width);
        var belowRight = Vector128.Create(width + 1);
        for (long plane = 0; plane < planes; plane++)
        {
            float* target = dx + plane * w.InputPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                int rowStart = 2 * oh * width;
                float* top = target + rowStart, bottom = top + width;
                long at = plane * w.OutPixels + (long)oh * outWidth;
                int ow = 0;
                for (; ow <= outWidth - 4; ow += 4)
                {
                    var gradient = Vector128.Load(dy + at + ow);
                    var index = Vector128.Load(argmax + at + ow);
                    var offset = index - (Vector128.Create(rowStart + 2 * ow) + evenColumns);
                    var inWindow = Vector128.Equals(offset, Vector128<int>.Zero) | Vector128.Equals(offset, one)
                        | Vector128.Equals(offset, below) | Vector128.Equals(offset, belowRight);
                    if (inWindow != Vector128<int>.AllBitsSet) throw BadIndex(w, argmax, at, rowStart, ow);
                    var lowIndex = Vector128.Shuffle(index, lowPairs);
                    var highIndex = Vector128.Shuffle(index, highPairs);
                    var lowGradient = Vector128.Shuffle(gradient, lowPairs);
                    var highGradient = Vector128.Shuffle(gradient, highPairs);
                    var topCells = Vector128.Create(rowStart + 2 * ow) + cells;
                    Write(top + 2 * ow, Vector128.Equals(lowIndex, topCells), lowGradient, accumulate);
                    Write(top + 2 * ow + 4, Vector128.Equals(highIndex, topCells + Vector128.Create(4)), highGradient, accumulate);
                    Write(bottom + 2 * ow, Vector128.Equals(lowIndex, topCells + below), lowGradient, accumulate);
                    Write(bottom + 2 * ow + 4, Vector128.Equals(highIndex, topCells + below + Vector128.Create(4)), highGradient, accumulate);
                }
                for (; ow < outWidth; ow++)
                {
                    int first = rowStart + 2 * ow, index = argmax[at + ow];
                    if (index != first && index != first + 1 && index != first + width && index != first + width + 1)
                        throw BadIndex(w, argmax, at, rowStart, ow);
                    float gradient = dy[at + ow];
                    Write(target, first, index, gradient, accumulate);
                    Write(target, first + 1, index, gradient, accumulate);
                    Write(target, first + width, index, gradient, accumulate);
                    Write(target, first + width + 1, index, gradient, accumulate);
                }
            }
        }
    }

    /// <summary>Four cells: the gradient where <paramref name="taken"/> is set, zero elsewhere (added when accumulating).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* cells, Vector128<int> taken, Vector128<float> gradient, bool accumulate)
    {
        var value = gradient & taken.AsSingle();
        if (accumulate) value += Vector128.Load(cells);
        value.Store(cells);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* plane, int cell, int taken, float gradient, bool accumulate)
    {
        float value = cell == taken ? gradient : 0f;
        plane[cell] = accumulate ? plane[cell] + value : value;
    }

    /// <summary>The error naming the first of outputs [ow, ow+4) of a row whose index is not a cell of its window.</summary>
    private static ArgumentException BadIndex(in ConvWindow w, int* argmax, long rowAt, int rowStart, int ow)
    {
        for (int o = ow; o < Math.Min(ow + 4, w.OutWidth); o++)
        {
            int first = rowStart + 2 * o, index = argmax[rowAt + o];
            if (index != first && index != first + 1 && index != first + w.Width && index != first + w.Width + 1)
                return new ArgumentException($"max pool backward: argmax[{rowAt + o}] must be a cell of its window, got {index}", nameof(argmax));
        }
        return new ArgumentException("max pool backward: argmax does not match the window", nameof(argmax));
    }

    /// <summary>Eight consecutive values as their even and odd columns, each in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) Split(float* row)
    {
        var low = Vector128.Load(row).AsUInt64();
        var high = Vector128.Load(row + 4).AsUInt64();
        var even = Vector128.Narrow(low, high).AsSingle();
        var odd = Vector128.Narrow(Vector128.ShiftRightLogical(low, 32), Vector128.ShiftRightLogical(high, 32)).AsSingle();
        return (even, odd);
    }

    /// <summary>Where <paramref name="candidate"/> beats the running maximum, takes it and its cell index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector128<float> max, ref Vector128<int> index, Vector128<float> candidate, Vector128<int> candidateIndex)
    {
        var greater = Vector128.GreaterThan(candidate, max);
        max = Vector128.ConditionalSelect(greater, candidate, max);
        index = Vector128.ConditionalSelect(greater.AsInt32(), candidateIndex, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref float max, ref int best, float* source, int at)
    {
        float value = source[at];
        bool greater = value > max;
        best = greater ? at : best;
        max = greater ? value : max;
    }
}
