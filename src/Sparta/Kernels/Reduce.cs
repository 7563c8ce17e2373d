using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Reductions in a fixed order: the grouping of additions depends only on the length, never on
/// memory alignment or the thread count, so a sum is bit-identical from run to run.
/// An axis reduction views its input as (outer, axis, inner).
/// </summary>
internal static class Reduce
{
    /// <summary>Sum with four vector accumulators of the widest width, combined in a fixed order, then the tail.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        if (VectorWidth.Uses512) return Sum<Float512>(x);
        if (VectorWidth.Uses256) return Sum<Float256>(x);
        return Sum<Float128>(x);
    }

    /// <summary>One width's sum (the tests run each width against the scalar oracle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Sum<TVector>(ReadOnlySpan<float> x) where TVector : struct, IFloatVector<TVector>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0, lanes = TVector.Count;
        float sum = 0f;
        if (n >= 4 * lanes)
        {
            TVector a0 = TVector.Zero, a1 = TVector.Zero, a2 = TVector.Zero, a3 = TVector.Zero;
            for (; i <= n - 4 * lanes; i += 4 * lanes)
            {
                a0 += TVector.Load(ref xs, (nuint)i);
                a1 += TVector.Load(ref xs, (nuint)(i + lanes));
                a2 += TVector.Load(ref xs, (nuint)(i + 2 * lanes));
                a3 += TVector.Load(ref xs, (nuint)(i + 3 * lanes));
            }
            sum = TVector.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++) sum += Unsafe.Add(ref xs, i);
        return sum;
    }

    /// <summary>The scalar oracle: a plain left-to-right sum in double.</summary>
    public static float SumScalar(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x) sum += v;
        return (float)sum;
    }

    /// <summary>Index of the first largest value; NaN counts as larger than everything (it propagates, as in NumPy).</summary>
    public static int ArgMax(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) throw new ArgumentException("argmax: the input is empty");
        int best = 0;
        for (int i = 1; i < x.Length && !float.IsNaN(x[best]); i++)
            if (x[i] > x[best] || float.IsNaN(x[i])) best = i;
        return best;
    }

    /// <summary>result[o, i] = Σ_a x[o, a, i].</summary>
    public static void SumAxis(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> result)
    {
        CheckAxisShapes("sum", x.Length, outer, axis, inner, result.Length);
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * axis * inner, axis * inner);
            if (inner == 1) { result[o] = Sum(block); continue; }
            var row = result.Slice(o * inner, inner);
            row.Clear();
            for (int a = 0; a < axis; a++) Elementwise.Map(new AddOperator(), row, block.Slice(a * inner, inner), row);
        }
    }

    /// <summary>result[o, i] = max_a x[o, a, i]; indices[o, i] = the first a that attains it.</summary>
    public static void MaxAxis(ReadOnlySpan<float> x, int outer, int axis, int inner, Span<float> result, Span<int> indices)
    {
        CheckAxisShapes("max", x.Length, outer, axis, inner, result.Length);
        if (axis == 0) throw new ArgumentException("max: cannot reduce an axis of length 0");
        if (indices.Length != result.Length)
            throw new ArgumentException($"max: indices hold {indices.Length} values but the result holds {result.Length}");
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            int best = 0;
            float bestValue = x[o * axis * inner + i];
            for (int a = 1; a < axis && !float.IsNaN(bestValue); a++)
            {
                float v = x[(o * axis + a) * inner + i];
                if (v > bestValue || float.IsNaN(v)) { best = a; bestValue = v; }
            }
            result[o * inner + i] = bestValue;
            indices[o * inner + i] = best;
        }
    }

    private static void CheckAxisShapes(string op, int length, int outer, int axis, int inner, int resultLength)
    {
        if ((long)outer * axis * inner != length)
            throw new ArgumentException($"{op}: input holds {length} values, not {outer}x{axis}x{inner}");
        if ((long)outer * inner != resultLength)
            throw new ArgumentException($"{op}: result holds {resultLength} values, not {outer}x{inner}");
    }
}
