using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// The two loops of a Parzen estimator's density, over all its components at once (one per
/// observed trial, so about n of them): AVX-512 where the machine has it, scalar otherwise.
/// Written here rather than with TensorPrimitives because these methods are compiled fully
/// optimized at their first call: a study's first hundred trials would otherwise run the
/// generic library loops unoptimized until the runtime's tiering reaches them.
/// </summary>
internal static class MixtureKernels
{
    /// <summary>perComponent[k] += logNormalizers[k] - z^2 / 2, z = (t - mus[k]) / sigmas[k]: each truncated Gaussian's log density at t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddGaussianLogDensity(double t, double[] mus, double[] sigmas, double[] logNormalizers, double[] perComponent)
    {
        int n = perComponent.Length, k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var at = Vector512.Create(t);
            var minusHalf = Vector512.Create(-0.5);
            for (; k <= n - Vector512<double>.Count; k += Vector512<double>.Count)
            {
                var z = (at - Vector512.Create(mus.AsSpan(k))) / Vector512.Create(sigmas.AsSpan(k));
                var sum = Vector512.Create(perComponent.AsSpan(k)) + (z * z * minusHalf + Vector512.Create(logNormalizers.AsSpan(k)));
                sum.CopyTo(perComponent.AsSpan(k));
            }
        }
        for (; k < n; k++)
        {
            double z = (t - mus[k]) / sigmas[k];
            perComponent[k] += z * z * -0.5 + logNormalizers[k];
        }
    }

    /// <summary>log(sum(exp(values))), shifted by the largest value so that no term overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogSumExp(double[] values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) max = Math.Max(max, v);
        if (double.IsNegativeInfinity(max)) return max;
        int n = values.Length, k = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var shift = Vector512.Create(max);
            var partial = Vector512<double>.Zero;
            for (; k <= n - Vector512<double>.Count; k += Vector512<double>.Count)
                partial += Vector512.Exp(Vector512.Create(values.AsSpan(k)) - shift);
            sum = Vector512.Sum(partial);
        }
        for (; k < n; k++) sum += Math.Exp(values[k] - max);
        return Math.Log(sum) + max;
    }
}
