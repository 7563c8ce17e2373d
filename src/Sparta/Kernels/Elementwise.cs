using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// The one driver loop of every element-wise operation: 16 lanes at a time with AVX-512, the rest
/// (and every element on processors without it) through the operation's scalar path.
/// Outputs may alias inputs (in-place updates), so the tail is never recomputed by overlapping.
/// </summary>
internal static class Elementwise
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        CheckLength("x", x.Length, result.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(result);
        int n = result.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>
    /// result[i] = op(x[i], y[i]). An input of length 1 is broadcast along the whole span; any other
    /// length must equal the result's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result) where TOp : struct, IBinaryOperator
    {
        if (x.Length == 1 && result.Length != 1) { Map(new BindFirst<TOp>(op, x[0]), y, result); return; }
        if (y.Length == 1 && result.Length != 1) { Map(new BindSecond<TOp>(op, y[0]), x, result); return; }
        CheckLength("x", x.Length, result.Length);
        CheckLength("y", y.Length, result.Length);
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float rs = ref MemoryMarshal.GetReference(result);
        int n = result.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                op.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref rs, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
    }

    /// <summary>The scalar path alone: the oracle the vector path is tested against.</summary>
    public static void MapScalar<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        CheckLength("x", x.Length, result.Length);
        for (int i = 0; i < result.Length; i++) result[i] = op.Invoke(x[i]);
    }

    /// <summary>The scalar path alone: the oracle the vector path is tested against.</summary>
    public static void MapScalar<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result) where TOp : struct, IBinaryOperator
    {
        CheckLength("x", x.Length, result.Length);
        CheckLength("y", y.Length, result.Length);
        for (int i = 0; i < result.Length; i++) result[i] = op.Invoke(x[i], y[i]);
    }

    private static void CheckLength(string name, int length, int resultLength)
    {
        if (length != resultLength)
            throw new ArgumentException($"elementwise: {name} holds {length} values but the result holds {resultLength}");
    }
}
