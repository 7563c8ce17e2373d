using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Mean, standard deviation (population, two-pass), minimum and maximum of each value group over
/// all samples, accumulated in double. Rows are cut into fixed chunks whose partial sums are added
/// in chunk order, so the result is the same whatever the thread count.
/// </summary>
internal sealed class GroupStatistics
{
    private const int RowsPerChunk = 512;

    private GroupStatistics(double[] mean, double[] std, float[] min, float[] max)
    {
        Mean = mean;
        Std = std;
        Min = min;
        Max = max;
    }

    public double[] Mean { get; }
    public double[] Std { get; }
    public float[] Min { get; }
    public float[] Max { get; }

    /// <summary>The mean always; the standard deviation and the range (min, max) only when asked, each costing a pass.</summary>
    public static GroupStatistics Compute(Tensor data, GroupLayout layout, bool withStd, bool withRange = false)
    {
        int n = data.Shape[0];
        if (n == 0) throw new ArgumentException($"statistics: no samples to fit on (shape {data.Shape})");
        int groups = layout.Groups;
        int chunks = (n + RowsPerChunk - 1) / RowsPerChunk;
        var sums = new double[chunks * groups];
        var mins = new float[chunks * groups];
        var maxs = new float[chunks * groups];
        ForEachChunk(chunks, c => SumChunk(data, layout, withRange, c, sums.AsSpan(c * groups, groups), mins.AsSpan(c * groups, groups), maxs.AsSpan(c * groups, groups)));
        double count = (double)n * (layout.SampleSize / groups);
        var mean = Combine(sums, chunks, groups);
        for (int g = 0; g < groups; g++) mean[g] /= count;
        var min = new float[groups];
        var max = new float[groups];
        for (int g = 0; g < groups; g++)
        {
            min[g] = float.PositiveInfinity;
            max[g] = float.NegativeInfinity;
            for (int c = 0; c < chunks; c++)
            {
                min[g] = Math.Min(min[g], mins[c * groups + g]);
                max[g] = Math.Max(max[g], maxs[c * groups + g]);
            }
        }
        var std = new double[groups];
        if (withStd)
        {
            Array.Clear(sums);
            ForEachChunk(chunks, c => DeviationChunk(data, layout, c, mean, sums.AsSpan(c * groups, groups)));
            var squares = Combine(sums, chunks, groups);
            for (int g = 0; g < groups; g++) std[g] = Math.Sqrt(squares[g] / count);
        }
        return new GroupStatistics(mean, std, min, max);
    }

    private static void SumChunk(Tensor data, GroupLayout layout, bool withRange, int chunk, Span<double> sum, Span<float> min, Span<float> max)
    {
        var (start, end) = Rows(data, chunk);
        var values = data.Span;
        int d = layout.SampleSize;
        min.Fill(float.PositiveInfinity);
        max.Fill(float.NegativeInfinity);
        for (int r = start; r < end; r++)
        {
            var row = values.Slice(r * d, d);
            if (layout.Scope == StatisticsScope.Feature)
            {
                WideSum.AddTo(row, sum);
                if (!withRange) continue;
                TensorPrimitives.Min(row, min, min);
                TensorPrimitives.Max(row, max, max);
                continue;
            }
            for (int g = 0; g < layout.Groups; g++)
            {
                var run = row.Slice(g * layout.RunLength, layout.RunLength);
                sum[g] += WideSum.Sum(run);
                if (!withRange) continue;
                min[g] = Math.Min(min[g], TensorPrimitives.Min(run));
                max[g] = Math.Max(max[g], TensorPrimitives.Max(run));
            }
        }
    }

    private static void DeviationChunk(Tensor data, GroupLayout layout, int chunk, double[] mean, Span<double> squares)
    {
        var (start, end) = Rows(data, chunk);
        var values = data.Span;
        int d = layout.SampleSize;
        for (int r = start; r < end; r++)
        {
            var row = values.Slice(r * d, d);
            if (layout.Scope == StatisticsScope.Feature) { WideSum.AddSquaredDeviations(row, mean, squares); continue; }
            for (int g = 0; g < layout.Groups; g++)
                squares[g] += WideSum.SquaredDeviations(row.Slice(g * layout.RunLength, layout.RunLength), mean[g]);
        }
    }

    private static (int Start, int End) Rows(Tensor data, int chunk) =>
        (chunk * RowsPerChunk, Math.Min((chunk + 1) * RowsPerChunk, data.Shape[0]));

    private static double[] Combine(double[] partials, int chunks, int groups)
    {
        var total = new double[groups];
        for (int c = 0; c < chunks; c++)
            for (int g = 0; g < groups; g++) total[g] += partials[c * groups + g];
        return total;
    }

    internal static void ForEachChunk(int chunks, Action<int> body)
    {
        if (chunks == 1 || Parallelism.ThreadCount == 1) { for (int c = 0; c < chunks; c++) body(c); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.ThreadCount }, body);
    }
}

/// <summary>Float values summed in double, eight lanes at a time (Vector512 widening when available).</summary>
internal static class WideSum
{
    public static double Sum(ReadOnlySpan<float> x)
    {
        int i = 0;
        double total = 0;
        if (VectorWidth.Uses512)
        {
            var acc = Vector512<double>.Zero;
            for (; i <= x.Length - 16; i += 16)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Create(x.Slice(i, 16)));
                acc += lo + hi;
            }
            total = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++) total += x[i];
        return total;
    }

    public static double SquaredDeviations(ReadOnlySpan<float> x, double mean)
    {
        int i = 0;
        double total = 0;
        if (VectorWidth.Uses512)
        {
            var acc = Vector512<double>.Zero;
            var m = Vector512.Create(mean);
            for (; i <= x.Length - 16; i += 16)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Create(x.Slice(i, 16)));
                lo -= m;
                hi -= m;
                acc += lo * lo + hi * hi;
            }
            total = Vector512.Sum(acc);
        }
        for (; i < x.Length; i++) total += (x[i] - mean) * (x[i] - mean);
        return total;
    }

    /// <summary>sum[j] += x[j].</summary>
    public static void AddTo(ReadOnlySpan<float> x, Span<double> sum)
    {
        int i = 0;
        if (VectorWidth.Uses512)
            for (; i <= x.Length - 16; i += 16)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Create(x.Slice(i, 16)));
                (Vector512.Create<double>(sum.Slice(i, 8)) + lo).CopyTo(sum.Slice(i, 8));
                (Vector512.Create<double>(sum.Slice(i + 8, 8)) + hi).CopyTo(sum.Slice(i + 8, 8));
            }
        for (; i < x.Length; i++) sum[i] += x[i];
    }

    /// <summary>squares[j] += (x[j] - mean[j])².</summary>
    public static void AddSquaredDeviations(ReadOnlySpan<float> x, ReadOnlySpan<double> mean, Span<double> squares)
    {
        int i = 0;
        if (VectorWidth.Uses512)
            for (; i <= x.Length - 16; i += 16)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Create(x.Slice(i, 16)));
                lo -= Vector512.Create(mean.Slice(i, 8));
                hi -= Vector512.Create(mean.Slice(i + 8, 8));
                (Vector512.Create<double>(squares.Slice(i, 8)) + lo * lo).CopyTo(squares.Slice(i, 8));
                (Vector512.Create<double>(squares.Slice(i + 8, 8)) + hi * hi).CopyTo(squares.Slice(i + 8, 8));
            }
        for (; i < x.Length; i++) squares[i] += (x[i] - mean[i]) * (x[i] - mean[i]);
    }
}
