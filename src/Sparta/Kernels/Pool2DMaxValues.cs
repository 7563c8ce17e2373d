using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling's values alone, for inference (no indices kept for a backward pass), with a 2x2
/// window and stride 2 whose windows all lie inside the image: 8 outputs at a time from two rows of
/// 16 inputs split into even and odd columns. The four candidates are taken in window order, each
/// kept only when strictly greater (vmaxps keeps its second operand on ties and NaN), so the values
/// are exactly those of <see cref="Pool2D.MaxForward"/>. A row shorter than 8 outputs is one
/// vector whose excess lanes the next row overwrites; a longer row ends with a vector that overlaps the one before.
/// </summary>
internal static unsafe class Pool2DMaxValues
{
    public static bool Handles(in ConvWindow w) =>
        Avx.IsSupported && w.KernelHeight == 2 && w.KernelWidth == 2 && w.StrideHeight == 2 && w.StrideWidth == 2
        && w.PadTop == 0 && w.PadLeft == 0 && 2 * w.OutHeight <= w.Height && 2 * w.OutWidth <= w.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvWindow w, int planes, ReadOnlySpan<float> input, Span<float> output)
    {
        const string op = "max pool forward";
        if (!Handles(w)) throw new ArgumentException($"{op}: this kernel takes 2x2 windows of stride 2 inside the image, got {w}");
        ConvArguments.Length(op, nameof(input), input.Length, (long)planes * w.InputPixels, "planes x H x W");
        ConvArguments.Length(op, nameof(output), output.Length, (long)planes * w.OutPixels, "planes x OH x OW");
        int width = w.Width, outWidth = w.OutWidth;
        fixed (float* x = input, y = output)
        {
            float* inputEnd = x + (long)planes * w.InputPixels, outputEnd = y + (long)planes * w.OutPixels;
            for (long plane = 0; plane < planes; plane++)
            {
                float* source = x + plane * w.InputPixels;
                float* target = y + plane * w.OutPixels;
                for (int oh = 0; oh < w.OutHeight; oh++, target += outWidth)
                {
                    float* top = source + 2 * oh * width, bottom = top + width;
                    if (outWidth < 8)
                    {
                        // A short row still takes one vector: the 16 values read past the row lie in the
                        // rows below (or the next plane), and the lanes past the row's end land on the
                        // next outputs, written after. Only at the very end of the buffers would either
                        // overrun: there the row goes one output at a time.
                        if (bottom + 16 <= inputEnd && target + 8 <= outputEnd) Vector(top, bottom, target);
                        else for (int ow = 0; ow < outWidth; ow++) target[ow] = Scalar(top + 2 * ow, bottom + 2 * ow);
                        continue;
                    }
                    for (int ow = 0; ; ow += 8)
                    {
                        int at = Math.Min(ow, outWidth - 8);
                        Vector(top + 2 * at, bottom + 2 * at, target + at);
                        if (at + 8 >= outWidth) break;
                    }
                }
            }
        }
    }

    /// <summary>Eight windows: columns 2j and 2j+1 of the two rows, for j in [0, 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vector(float* top, float* bottom, float* target)
    {
        var (topEven, topOdd) = Split(top);
        var (bottomEven, bottomOdd) = Split(bottom);
        var max = Avx.Max(topOdd, topEven);
        max = Avx.Max(bottomEven, max);
        max = Avx.Max(bottomOdd, max);
        Vector256.Store(max, target);
    }

    /// <summary>Sixteen consecutive values as their even and odd columns, each in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) Split(float* row)
    {
        var low = Vector256.Load(row);
        var high = Vector256.Load(row + 8);
        // Within each 128-bit lane: [low0 low2 high0 high2 | low4 low6 high4 high6]; the 64-bit swap puts them in order.
        var even = Avx.Shuffle(low, high, 0b10_00_10_00);
        var odd = Avx.Shuffle(low, high, 0b11_01_11_01);
        return (Order(even), Order(odd));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Order(Vector256<float> v) => Avx2.IsSupported
        ? Avx2.Permute4x64(v.AsDouble(), 0b11_01_10_00).AsSingle()
        : Vector256.Create(v.GetElement(0), v.GetElement(1), v.GetElement(4), v.GetElement(5), v.GetElement(2), v.GetElement(3), v.GetElement(6), v.GetElement(7));

    /// <summary>One window in window order, a later cell kept only when strictly greater.</summary>
    private static float Scalar(float* top, float* bottom)
    {
        float max = top[0];
        if (top[1] > max) max = top[1];
        if (bottom[0] > max) max = bottom[0];
        if (bottom[1] > max) max = bottom[1];
        return max;
    }
}
