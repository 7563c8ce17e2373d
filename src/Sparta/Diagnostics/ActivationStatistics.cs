namespace Sparta.Diagnostics;

/// <summary>
/// What one layer's outputs look like on a batch: the slides' mean and std (over every value, as
/// numpy's <c>H.mean()</c>, <c>H.std()</c>), a histogram, and the fractions that signal trouble:
/// saturated tanh units (|h| &gt; 0.99), saturated sigmoid units (h &lt; 0.01 or h &gt; 0.99) and
/// ReLU units that are zero for every example of the batch (dead).
/// </summary>
public sealed record ActivationStatistics(
    double Mean, double Std, Histogram Histogram, double SaturatedTanh, double SaturatedSigmoid, double DeadUnits)
{
    public const double SaturationLimit = 0.99;

    /// <summary>
    /// Statistics of <paramref name="values"/> laid out as rows of <paramref name="units"/> columns
    /// (examples × units). Sums run in double in index order, so the result does not depend on threads.
    /// </summary>
    public static ActivationStatistics Of(ReadOnlySpan<float> values, int units, int bins = 30, double low = -1, double high = 1)
    {
        if (units < 1 || values.Length % units != 0)
            throw new ArgumentException($"activation statistics: {values.Length} values do not split into rows of {units} units");
        if (values.Length == 0) throw new ArgumentException("activation statistics: no values");
        double sum = 0;
        foreach (float v in values) sum += v;
        double mean = sum / values.Length;
        double squares = 0;
        int tanhSaturated = 0, sigmoidSaturated = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            squares += d * d;
            if (Math.Abs(v) > SaturationLimit) tanhSaturated++;
            if (v < 1 - SaturationLimit || v > SaturationLimit) sigmoidSaturated++;
        }
        var alive = new bool[units];
        for (int i = 0; i < values.Length; i++)
            if (values[i] > 0) alive[i % units] = true;
        int dead = alive.Count(a => !a);
        return new ActivationStatistics(mean, Math.Sqrt(squares / values.Length), Histogram.Of(values, bins, low, high),
            (double)tanhSaturated / values.Length, (double)sigmoidSaturated / values.Length, (double)dead / units);
    }
}

/// <summary>Counts of values in equal bins over [Low, High] (numpy's <c>hist(range=...)</c>: values outside are not counted, the last bin includes High).</summary>
public sealed record Histogram(double Low, double High, long[] Counts)
{
    public static Histogram Of(ReadOnlySpan<float> values, int bins, double low, double high)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), $"histogram: bins must be positive, got {bins}");
        if (!(high > low)) throw new ArgumentException($"histogram: range must have high > low, got [{low}, {high}]");
        var counts = new long[bins];
        double width = (high - low) / bins;
        foreach (float v in values)
        {
            if (v < low || v > high) continue;
            counts[Math.Min((int)((v - low) / width), bins - 1)]++;
        }
        return new Histogram(low, high, counts);
    }

    public double BinWidth => (High - Low) / Counts.Length;
}
