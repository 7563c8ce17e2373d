using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// The dot product the Gaussian process spends its time in (Cholesky rows, triangular solves,
/// the posterior mean), AVX-512 where the machine has it. Our own method so that it runs fully
/// optimized from its first call: a study's first hundred trials would otherwise run the generic
/// library loop unoptimized until the runtime's tiering reaches it.
/// </summary>
internal static class DotKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"dot: lengths differ ({x.Length} and {y.Length})");
        int n = x.Length, k = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            var partial = Vector512<double>.Zero;
            for (; k <= n - Vector512<double>.Count; k += Vector512<double>.Count)
                partial += Vector512.Create(x.Slice(k)) * Vector512.Create(y.Slice(k));
            sum = Vector512.Sum(partial);
        }
        for (; k < n; k++) sum += x[k] * y[k];
        return sum;
    }
}
