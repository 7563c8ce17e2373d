using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sparta.Metrics;

/// <summary>
/// Σ|ŷ − y| and Σ(ŷ − y)² over two spans, the core of MAE, MSE and RMSE. The differences are
/// widened to double inside 512-bit vectors, so long spans lose no precision; the lane sums are
/// added in a fixed order (same result on every run).
/// </summary>
public static class ErrorSums
{
    public static (double Absolute, double Squared) Of(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred)
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"error sums: {yTrue.Length} targets but {yPred.Length} predictions");
        int n = yTrue.Length, i = 0;
        double absolute = 0, squared = 0;
        if (VectorWidth.Uses512 && n >= 16)
        {
            ref float t = ref MemoryMarshal.GetReference(yTrue);
            ref float p = ref MemoryMarshal.GetReference(yPred);
            Vector512<double> abs = Vector512<double>.Zero, sq = Vector512<double>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref p, (nuint)i) - Vector512.LoadUnsafe(ref t, (nuint)i));
                abs += Vector512.Abs(lower) + Vector512.Abs(upper);
                sq += lower * lower + upper * upper;
            }
            absolute = Vector512.Sum(abs);
            squared = Vector512.Sum(sq);
        }
        for (; i < n; i++)
        {
            double e = (double)(yPred[i] - yTrue[i]);
            absolute += Math.Abs(e);
            squared += e * e;
        }
        return (absolute, squared);
    }
}
