using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling's backward for a 2x2 window of stride 2 whose windows all lie inside the image, written
/// with the cross-platform Vector128 API (SSE on x64, NEON on ARM64); <see cref="Pool2DMax2x2"/> is its
/// forward. Each 2x2 block is written whole (the gradient at the recorded cell, zero elsewhere), so it
/// needs no clearing pass and no scattered adds: four output gradients and indices are doubled up into
/// the eight cells of a row pair's top and bottom halves; a row's last outputs (fewer than four) take
/// the same steps one at a time.
/// </summary>
internal static unsafe class Pool2DMaxVector128
{
    public static bool Handles(in ConvWindow w) => VectorWidth.Uses128 && Pool2DMax2x2.IsInside2x2(w);

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
}
