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
    /// <summary>
    /// Below this many elements a second thread costs more than the pass it takes over (a pass reads and writes
    /// each element once). A training step's large passes split: the first layer's gradients summed into their
    /// leaves, and cleared before the next step.
    /// </summary>
    internal const int MinPerRange = 1 << 15;

    /// <summary>
    /// Clearing reads nothing and writes each element once, so it splits from a smaller span than a map: the MLP's
    /// second-layer weight gradient (32,768 values) was cleared by the caller alone before every step while the other
    /// thread waited (about 1.6 % of the caller's time in a two-thread epoch).
    /// </summary>
    internal const int MinClearPerRange = 1 << 13;

    /// <summary>Cuts between threads fall on a multiple of the widest vector, so every element takes the path it takes on one thread.</summary>
    internal const int Alignment = 64;

    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        CheckLength("x", x.Length, result.Length);
        if (Parallelism.RangesFor(result.Length, MinPerRange) > 1) MapInRanges(op, x, result);
        else MapRange(op, x, result);
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
        if (Parallelism.RangesFor(result.Length, MinPerRange) > 1) MapInRanges(op, x, y, result);
        else MapRange(op, x, y, result);
    }

    /// <summary>Sets every element to zero, on the threads for a large span (an optimizer's gradients before a step).</summary>
    public static unsafe void Clear(Span<float> values)
    {
        if (Parallelism.RangesFor(values.Length, MinClearPerRange) <= 1)
        {
            values.Clear();
            return;
        }
        fixed (float* v = values) Parallelism.ForRanges(values.Length, MinClearPerRange, Alignment, new ClearRange(v));
    }

    /// <summary>The path of the vector width in use (<see cref="VectorWidth"/>) over one range; lengths already checked.</summary>
    internal static void MapRange<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        if (VectorWidth.Uses512) MapWith<TOp, Float512>(op, x, result);
        else if (VectorWidth.Uses256) MapWith<TOp, Float256>(op, x, result);
        else if (VectorWidth.Uses128) MapWith<TOp, Float128>(op, x, result);
        else MapScalar(op, x, result);
    }

    /// <summary>The path of the vector width in use over one range of the binary map; lengths already checked.</summary>
    internal static void MapRange<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result) where TOp : struct, IBinaryOperator
    {
        if (VectorWidth.Uses512) MapWith<TOp, Float512>(op, x, y, result);
        else if (VectorWidth.Uses256) MapWith<TOp, Float256>(op, x, y, result);
        else if (VectorWidth.Uses128) MapWith<TOp, Float128>(op, x, y, result);
        else MapScalar(op, x, y, result);
    }

    // Apart from Map so that a pass on one thread does not pin its spans.
    private static unsafe void MapInRanges<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> result) where TOp : struct, IUnaryOperator
    {
        fixed (float* xs = x, rs = result)
            Parallelism.ForRanges(result.Length, MinPerRange, Alignment, new UnaryMapRange<TOp>(op, xs, rs));
    }

    private static unsafe void MapInRanges<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result) where TOp : struct, IBinaryOperator
    {
        fixed (float* xs = x, ys = y, rs = result)
            Parallelism.ForRanges(result.Length, MinPerRange, Alignment, new BinaryMapRange<TOp>(op, xs, ys, rs));
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
