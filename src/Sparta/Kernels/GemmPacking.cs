using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// Copies a block of A or B into the order a micro-kernel reads it: panels of <c>width</c> lanes,
/// each depth step's lanes contiguous, lanes past the matrix's edge zero. Transposes happen here,
/// so every transpose variant runs the same micro-kernel. Two source layouts exist:
/// "across" (a step's lanes are contiguous in the source: plain copy) and "along" (each lane is a
/// source line contiguous over the depth: a transpose).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// One panel from lanes contiguous in the source: <c>dst[p·width + l] = src[p·ld + l]</c> for
    /// l &lt; lanes, zero for lanes ≤ l &lt; width. Like <see cref="PanelAlong"/>, the AVX-512 path
    /// writes whole 16-lane rows (the excess is overwritten by the next row, or lands in the slack).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PanelAcross(float* src, nint ld, int lanes, int kc, float* dst, int width, bool avx512)
    {
        if (avx512)
        {
            // Masked loads read only the lanes inside the matrix and zero the rest: no scalar edge loop.
            for (int p = 0; p < kc; p++, src += ld, dst += width)
                for (int l = 0; l < width; l += 16)
                    Vector512.Store(Avx512F.MaskLoad(src + l, FirstLanes(lanes - l), Vector512<float>.Zero), dst + l);
            return;
        }
        if (Avx.IsSupported && width % 8 == 0)
        {
            if (lanes == width)
            {
                for (int p = 0; p < kc; p++, src += ld, dst += width)
                    for (int l = 0; l < width; l += 8)
                        Vector256.Store(Vector256.Load(src + l), dst + l);
                return;
            }
            // AVX's masked load reads nothing where the mask is off and gives 0 there.
            for (int p = 0; p < kc; p++, src += ld, dst += width)
                for (int l = 0; l < width; l += 8)
                    Vector256.Store(Avx.MaskLoad(src + l, FirstLanes8(lanes - l)), dst + l);
            return;
        }
        if (Avx.IsSupported && width < 8)
        {
            // A panel of 6 rows (the AVX2 and 128-bit kernels' Mr): whole 8-lane rows, as the AVX-512 path writes
            // 16, each row's two excess lanes overwritten by the next row or landing in the slack after the panel.
            var mask = FirstLanes8(lanes);
            for (int p = 0; p < kc; p++, src += ld, dst += width)
                Vector256.Store(Avx.MaskLoad(src, mask), dst);
            return;
        }
        for (int p = 0; p < kc; p++, src += ld, dst += width)
        {
            int l = 0;
            for (; l < lanes; l++) dst[l] = src[l];
            for (; l < width; l++) dst[l] = 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FirstLanes(int count)
        => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FirstLanes8(int count)
        => Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <summary>
    /// One panel from lanes that are source lines: <c>dst[p·width + l] = src[l·ld + p]</c> for
    /// l &lt; lanes, zero for lanes ≤ l &lt; width. The buffer needs 16 floats of slack after the
    /// panel: the AVX-512 (AVX) path writes whole 16-lane (8-lane) rows and lets the next row overwrite the excess.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PanelAlong(float* src, nint ld, int lanes, int kc, float* dst, int width, bool avx512)
    {
        int p = 0;
        if (avx512)
        {
            for (; p + 16 <= kc; p += 16)
                for (int group = 0; group < width; group += 16)
                    Transpose16(src + group * ld + p, ld, lanes - group, dst + p * width + group, width);
        }
        else if (Avx.IsSupported)
        {
            for (; p + 8 <= kc; p += 8)
                for (int group = 0; group < width; group += 8)
                    Transpose8(src + group * ld + p, ld, Math.Min(8, lanes - group), dst + p * width + group, width);
        }
        for (; p < kc; p++)
        {
            float* row = dst + p * width;
            for (int l = 0; l < lanes; l++) row[l] = src[l * ld + p];
            for (int l = lanes; l < width; l++) row[l] = 0f;
        }
    }

    /// <summary>
    /// Transposes 16 depth steps of up to 16 source lines (missing lines read as zero) into 16 rows
    /// of 16 lanes at stride <paramref name="width"/>, written in order so a row's excess lanes are
    /// overwritten by the next row when width &lt; 16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16(float* src, nint ld, int lines, float* dst, int width)
    {
        Vector512<float> r0 = Line(src, ld, 0, lines), r1 = Line(src, ld, 1, lines), r2 = Line(src, ld, 2, lines), r3 = Line(src, ld, 3, lines);
        Vector512<float> r4 = Line(src, ld, 4, lines), r5 = Line(src, ld, 5, lines), r6 = Line(src, ld, 6, lines), r7 = Line(src, ld, 7, lines);
        Vector512<float> r8 = Line(src, ld, 8, lines), r9 = Line(src, ld, 9, lines), r10 = Line(src, ld, 10, lines), r11 = Line(src, ld, 11, lines);
        Vector512<float> r12 = Line(src, ld, 12, lines), r13 = Line(src, ld, 13, lines), r14 = Line(src, ld, 14, lines), r15 = Line(src, ld, 15, lines);

        // Interleave pairs of lines, then pairs of pairs: each 128-bit lane then holds one step of four lines.
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1), t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5), t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9), t10 = Avx512F.UnpackLow(r10, r11), t11 = Avx512F.UnpackHigh(r10, r11);
        Vector512<float> t12 = Avx512F.UnpackLow(r12, r13), t13 = Avx512F.UnpackHigh(r12, r13), t14 = Avx512F.UnpackLow(r14, r15), t15 = Avx512F.UnpackHigh(r14, r15);
        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE); r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE); r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, t10, 0x44); r9 = Avx512F.Shuffle(t8, t10, 0xEE); r10 = Avx512F.Shuffle(t9, t11, 0x44); r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        r12 = Avx512F.Shuffle(t12, t14, 0x44); r13 = Avx512F.Shuffle(t12, t14, 0xEE); r14 = Avx512F.Shuffle(t13, t15, 0x44); r15 = Avx512F.Shuffle(t13, t15, 0xEE);

        // Then gather the 128-bit lanes: two rounds of whole-lane shuffles across the four groups of four lines.
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88); t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD); t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t9 = Avx512F.Shuffle4x128(r9, r13, 0x88); t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t11 = Avx512F.Shuffle4x128(r11, r15, 0x88);
        t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD); t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);
        Vector512.Store(Avx512F.Shuffle4x128(t0, t8, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t1, t9, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t2, t10, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t3, t11, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t4, t12, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t5, t13, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t6, t14, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t7, t15, 0x88), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t0, t8, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t1, t9, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t2, t10, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t3, t11, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t4, t12, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t5, t13, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t6, t14, 0xDD), dst); dst += width;
        Vector512.Store(Avx512F.Shuffle4x128(t7, t15, 0xDD), dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Line(float* src, nint ld, int line, int lines)
        => line < lines ? Vector512.Load(src + line * ld) : Vector512<float>.Zero;

    /// <summary>
    /// Transposes 8 depth steps of up to 8 source lines <paramref name="ld"/> apart (missing lines read
    /// as zero) into 8 rows of 8 lanes, <paramref name="dstStride"/> apart, written in order so a row's
    /// excess lanes are overwritten by the next row when the stride is under 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8(float* src, nint ld, int lines, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Line8(src, ld, 0, lines), r1 = Line8(src, ld, 1, lines), r2 = Line8(src, ld, 2, lines), r3 = Line8(src, ld, 3, lines);
        Vector256<float> r4 = Line8(src, ld, 4, lines), r5 = Line8(src, ld, 5, lines), r6 = Line8(src, ld, 6, lines), r7 = Line8(src, ld, 7, lines);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3),
            t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE),
            u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), dst); dst += dstStride;
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Line8(float* src, nint ld, int line, int lines)
        => line < lines ? Vector256.Load(src + line * ld) : Vector256<float>.Zero;
}
