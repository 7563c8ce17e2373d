using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// The one driver loop of every element-wise operation: the widest vectors the processor runs
/// (16 lanes with AVX-512, 8 with AVX2, 4 with SSE or NEON), then the rest through the operation's
/// scalar path. Outputs may alias inputs (in-place updates), so the tail is never recomputed by overlapping.
/// </summary>
internal static class Elementwise
{
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        CheckLength("x", x.Length, result.Length);
        if (Float512.IsHardwareAccelerated) MapWith<TOp, Float512>(op, x, result);
        else if (Float256.IsHardwareAccelerated) MapWith<TOp, Float256>(op, x, result);
        else if (Float128.IsHardwareAccelerated) MapWith<TOp, Float128>(op, x, result);
        else MapScalar(op, x, result);
    }

    /// <summary>
    /// result[i] = op(x[i], y[i]). An input of length 1 is broadcast along the whole span; any other
    /// length must equal the result's.
    /// </summary>
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result) where TOp : struct, IBinaryOperator
    {
        if (x.Length == 1 && result.Length != 1) { Map(new BindFirst<TOp>(op, x[0]), y, result); return; }
        if (y.Length == 1 && result.Length != 1) { Map(new BindSecond<TOp>(op, y[0]), x, result); return; }
        CheckLength("x", x.Length, result.Length);
        CheckLength("y", y.Length, result.Length);
        if (Float512.IsHardwareAccelerated) MapWith<TOp, Float512>(op, x, y, result);
        else if (Float256.IsHardwareAccelerated) MapWith<TOp, Float256>(op, x, y, result);
        else if (Float128.IsHardwareAccelerated) MapWith<TOp, Float128>(op, x, y, result);
        else MapScalar(op, x, y, result);
    }

    /// <summary>One width's path (the tests run each width against the scalar oracle); lengths already checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MapWith<TOp, TVector>(TOp op, ReadOnlySpan<float> x, Span<float> result)
        where TOp : struct, IUnaryOperator where TVector : struct, IFloatVector<TVector>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(result);
        int n = result.Length, i = 0;
        for (; i <= n - TVector.Count; i += TVector.Count)
            op.Invoke(TVector.Load(ref xs, (nuint)i)).Store(ref ys, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
    }

    /// <summary>One width's path of the binary map; lengths already checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MapWith<TOp, TVector>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result)
        where TOp : struct, IBinaryOperator where TVector : struct, IFloatVector<TVector>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float rs = ref MemoryMarshal.GetReference(result);
        int n = result.Length, i = 0;
        for (; i <= n - TVector.Count; i += TVector.Count)
            op.Invoke(TVector.Load(ref xs, (nuint)i), TVector.Load(ref ys, (nuint)i)).Store(ref rs, (nuint)i);
        for (; i < n; i++)
            Unsafe.Add(ref rs, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
    }

    /// <summary>The scalar path alone: the oracle the vector paths are tested against.</summary>
    public static void MapScalar<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        CheckLength("x", x.Length, result.Length);
        for (int i = 0; i < result.Length; i++) result[i] = op.Invoke(x[i]);
    }

    /// <summary>The scalar path alone: the oracle the vector paths are tested against.</summary>
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
