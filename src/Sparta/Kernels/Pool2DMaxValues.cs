using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Max pooling's values alone, for inference (no indices kept for a backward pass), with a 2x2
/// window and stride 2 whose windows all lie inside the image: 8 outputs at a time from two rows of
/// 16 inputs split into even and odd columns. The four candidates are taken in window order, each
/// kept only when strictly greater (vmaxps keeps its second operand on ties and NaN), so the values
/// are exactly those of <see cref="Pool2D.MaxForward(ConvWindow, int, ReadOnlySpan{float}, Span{float}, Span{int})"/>. A row shorter than 8 outputs is one
/// vector whose excess lanes the next row overwrites; a longer row ends with a vector that overlaps the one before.
/// </summary>
internal static unsafe class Pool2DMaxValues
{
    public static bool Handles(in ConvWindow w) =>
        Avx.IsSupported && VectorWidth.Uses256 && Pool2DMax2x2.IsInside2x2(w);

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
        var (topEven, topOdd) = Float256.LoadEvenOdd(top);
        var (bottomEven, bottomOdd) = Float256.LoadEvenOdd(bottom);
        var max = Avx.Max(topOdd.Value, topEven.Value);
        max = Avx.Max(bottomEven.Value, max);
        max = Avx.Max(bottomOdd.Value, max);
        Vector256.Store(max, target);
    }

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
