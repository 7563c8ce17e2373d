using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling with a 2x2 window and stride 2 whose windows all lie inside the image (the usual CNN
/// downsampling), 16 outputs at a time: two rows of 32 inputs are split into even and odd columns
/// and the four candidates compared in window order with a strict "greater", so the maximum and
/// its index are exactly those of the general loop, ties included. Backward writes each 2x2 block
/// whole (the gradient at the recorded cell, zero elsewhere), so no separate clearing pass is needed.
/// Short rows use masked loads and stores.
/// </summary>
internal static unsafe class Pool2DMaxAvx512
{
    public static bool Handles(in ConvWindow w) =>
        Avx512F.IsSupported && VectorWidth.Uses512 && Pool2DMax2x2.IsInside2x2(w);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvWindow w, int planes, float* x, float* y, int* argmax)
    {
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = even + Vector512<int>.One;
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        int width = w.Width, outWidth = w.OutWidth;
        for (long plane = 0; plane < planes; plane++)
        {
            float* source = x + plane * w.InputPixels;
            long outBase = plane * w.OutPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                float* top = source + 2 * oh * width, bottom = top + width;
                for (int ow = 0; ow < outWidth; ow += 16)
                {
                    int count = Math.Min(16, outWidth - ow);
                    var lowMask = Mask(2 * count);
                    var highMask = Mask(2 * count - 16);
                    var (topEven, topOdd) = Split(top + 2 * ow, lowMask, highMask, even, odd);
                    var (bottomEven, bottomOdd) = Split(bottom + 2 * ow, lowMask, highMask, even, odd);
                    var first = Vector512.Create(2 * oh * width + 2 * ow) + lanes * 2;
                    var max = topEven;
                    var index = first;
                    Take(ref max, ref index, topOdd, first + Vector512<int>.One);
                    Take(ref max, ref index, bottomEven, first + Vector512.Create(width));
                    Take(ref max, ref index, bottomOdd, first + Vector512.Create(width + 1));
                    var outMask = Mask(count);
                    long at = outBase + oh * outWidth + ow;
                    Avx512F.MaskStore(y + at, outMask, max);
                    Avx512F.MaskStore(argmax + at, outMask.AsInt32(), index);
                }
            }
        }
    }

    /// <summary>dx (=, or += when <paramref name="accumulate"/>) each output gradient placed at its recorded cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(in ConvWindow w, int planes, float* dy, int* argmax, float* dx, bool accumulate)
    {
        // Cells no window covers (a trailing odd row or column) are never written below.
        if (!accumulate && (2 * w.OutHeight < w.Height || 2 * w.OutWidth < w.Width))
            new Span<float>(dx, planes * w.InputPixels).Clear();
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var interleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var interleaveHigh = interleaveLow + Vector512.Create(8);
        int width = w.Width, outWidth = w.OutWidth;
        for (long plane = 0; plane < planes; plane++)
        {
            float* target = dx + plane * w.InputPixels;
            long outBase = plane * w.OutPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                float* top = target + 2 * oh * width, bottom = top + width;
                for (int ow = 0; ow < outWidth; ow += 16)
                {
                    int count = Math.Min(16, outWidth - ow);
                    var outMask = Mask(count);
                    long at = outBase + oh * outWidth + ow;
                    var grad = Avx512F.MaskLoad(dy + at, outMask, Vector512<float>.Zero);
                    var index = Avx512F.MaskLoad(argmax + at, outMask.AsInt32(), Vector512<int>.Zero);
                    var first = Vector512.Create(2 * oh * width + 2 * ow) + lanes * 2;
                    var topLeft = Vector512.Equals(index, first);
                    var topRight = Vector512.Equals(index, first + Vector512<int>.One);
                    var bottomLeft = Vector512.Equals(index, first + Vector512.Create(width));
                    var bottomRight = Vector512.Equals(index, first + Vector512.Create(width + 1));
                    var matched = topLeft | topRight | bottomLeft | bottomRight;
                    if (!Vector512.EqualsAll(matched & outMask.AsInt32(), outMask.AsInt32()))
                        throw BadIndex(w, planes, argmax, plane, oh, ow, count);
                    var lowMask = Mask(2 * count);
                    var highMask = Mask(2 * count - 16);
                    StorePair(top + 2 * ow, Pick(topLeft, grad), Pick(topRight, grad), interleaveLow, interleaveHigh, lowMask, highMask, accumulate);
                    StorePair(bottom + 2 * ow, Pick(bottomLeft, grad), Pick(bottomRight, grad), interleaveLow, interleaveHigh, lowMask, highMask, accumulate);
                }
            }
        }
    }

    private static Vector512<float> Pick(Vector512<int> where, Vector512<float> grad) => grad & where.AsSingle();

    /// <summary>Writes left[0], right[0], left[1], right[1], ... to 2·count cells of a row (adding to them when accumulating).</summary>
    private static void StorePair(float* row, Vector512<float> left, Vector512<float> right, Vector512<int> interleaveLow,
        Vector512<int> interleaveHigh, Vector512<float> lowMask, Vector512<float> highMask, bool accumulate)
    {
        var low = Avx512F.PermuteVar16x32x2(left, interleaveLow, right);
        var high = Avx512F.PermuteVar16x32x2(left, interleaveHigh, right);
        if (accumulate)
        {
            low += Avx512F.MaskLoad(row, lowMask, Vector512<float>.Zero);
            high += Avx512F.MaskLoad(row + 16, highMask, Vector512<float>.Zero);
        }
        Avx512F.MaskStore(row, lowMask, low);
        Avx512F.MaskStore(row + 16, highMask, high);
    }

    private static ArgumentException BadIndex(in ConvWindow w, int planes, int* argmax, long plane, int oh, int ow, int count)
    {
        for (int lane = 0; lane < count; lane++)
        {
            long t = plane * w.OutPixels + oh * w.OutWidth + ow + lane;
            int first = 2 * oh * w.Width + 2 * (ow + lane), at = argmax[t];
            if (at != first && at != first + 1 && at != first + w.Width && at != first + w.Width + 1)
                return new ArgumentException($"max pool backward: argmax[{t}] must be a cell of its window, got {at}", nameof(argmax));
        }
        return new ArgumentException("max pool backward: argmax does not match the window", nameof(argmax));
    }

    /// <summary>Where <paramref name="candidate"/> beats the running maximum, takes it and its cell index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector512<float> max, ref Vector512<int> index, Vector512<float> candidate, Vector512<int> candidateIndex)
    {
        var greater = Vector512.GreaterThan(candidate, max);
        max = Vector512.ConditionalSelect(greater, candidate, max);
        index = Vector512.ConditionalSelect(greater.AsInt32(), candidateIndex, index);
    }

    private static (Vector512<float> Even, Vector512<float> Odd) Split(float* row, Vector512<float> lowMask, Vector512<float> highMask,
        Vector512<int> even, Vector512<int> odd)
    {
        var low = Avx512F.MaskLoad(row, lowMask, Vector512<float>.Zero);
        var high = Avx512F.MaskLoad(row + 16, highMask, Vector512<float>.Zero);
        return (Avx512F.PermuteVar16x32x2(low, even, high), Avx512F.PermuteVar16x32x2(low, odd, high));
    }

    /// <summary>All bits set in the first <paramref name="count"/> lanes (clamped to [0, 16]).</summary>
    private static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(count)).AsSingle();
}
