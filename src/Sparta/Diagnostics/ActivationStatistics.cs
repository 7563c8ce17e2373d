using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>
/// What one layer's outputs look like on a batch: the slides' mean and std (over every value, as
/// numpy's <c>H.mean()</c>, <c>H.std()</c>), a histogram, and the fractions that signal trouble for
/// the layer's activation: <see cref="Saturated"/> values (tanh: |a| &gt; 0.99; sigmoid: a &lt; 0.01
/// or a &gt; 0.99; 0 for activations that do not saturate) and <see cref="Dead"/> units (ReLU: units,
/// or channels of an image, that are zero for every example and position of the batch; 0 otherwise).
/// </summary>
/// <param name="Activation">The registered activation name the fractions were read for, or "linear" when the layer applies none.</param>
public sealed record ActivationStatistics(string Activation, double Mean, double Std, Histogram Histogram, double Saturated, double Dead)
{
    public const double SaturationLimit = 0.99;

    /// <summary>Whether this activation has a saturated region that the statistics measure.</summary>
    public static bool Saturates(string activation) => activation is "tanh" or "sigmoid";

    /// <summary>Whether this activation's units can die (output zero for every input).</summary>
    public static bool CanDie(string activation) => activation == "relu";

    /// <summary>
    /// Statistics of a layer's output, a batch of shape (N, units) or (N, channels, ...): a unit is
    /// a column, or a channel of an image. The histogram spans the activation's range (tanh [−1, 1],
    /// sigmoid [0, 1]) or, when unbounded, the batch's own [min, max].
    /// </summary>
    public static ActivationStatistics Of(Tensor output, string activation, int bins = 30)
    {
        if (output.Shape.Rank < 2) throw new ArgumentException($"activation statistics: need a batch with a feature axis, got shape {output.Shape}");
        int inner = 1;
        for (int axis = 2; axis < output.Shape.Rank; axis++) inner *= output.Shape[axis];
        var (low, high) = HistogramRange(output.Span, activation);
        return Compute(output.Span, output.Shape[1], inner, activation, bins, low, high);
    }

    /// <summary>
    /// Statistics of <paramref name="values"/> laid out as rows of <paramref name="units"/> columns
    /// (examples × units), histogram over [<paramref name="low"/>, <paramref name="high"/>]. Sums run
    /// in double in index order, so the result does not depend on threads.
    /// </summary>
    public static ActivationStatistics Of(ReadOnlySpan<float> values, int units, string activation = "linear", int bins = 30, double low = -1, double high = 1)
    {
        if (units < 1 || values.Length % units != 0)
            throw new ArgumentException($"activation statistics: {values.Length} values do not split into rows of {units} units");
        return Compute(values, units, 1, activation, bins, low, high);
    }

    /// <param name="inner">Values per unit and example (an image channel's positions; 1 for a dense layer).</param>
    private static ActivationStatistics Compute(ReadOnlySpan<float> values, int units, int inner, string activation, int bins, double low, double high)
    {
        if (values.Length == 0) throw new ArgumentException("activation statistics: no values");
        double sum = 0;
        foreach (float v in values) sum += v;
        double mean = sum / values.Length;
        double squares = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            squares += d * d;
        }
        return new ActivationStatistics(activation, mean, Math.Sqrt(squares / values.Length), Histogram.Of(values, bins, low, high),
            SaturatedFraction(values, activation), CanDie(activation) ? DeadFraction(values, units, inner) : 0);
    }

    private static double SaturatedFraction(ReadOnlySpan<float> values, string activation)
    {
        if (!Saturates(activation)) return 0;
        int saturated = 0;
        foreach (float v in values)
            if (activation == "tanh" ? Math.Abs(v) > SaturationLimit : v < 1 - SaturationLimit || v > SaturationLimit) saturated++;
        return (double)saturated / values.Length;
    }

    private static double DeadFraction(ReadOnlySpan<float> values, int units, int inner)
    {
        var alive = new bool[units];
        for (int i = 0; i < values.Length; i++)
            if (values[i] > 0) alive[i / inner % units] = true;
        return (double)alive.Count(a => !a) / units;
    }

    private static (double Low, double High) HistogramRange(ReadOnlySpan<float> values, string activation)
    {
        if (activation == "tanh") return (-1, 1);
        if (activation == "sigmoid") return (0, 1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (!(max > min)) return double.IsFinite(min) ? (min - 0.5, min + 0.5) : (-1, 1);
        return (min, max);
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
            if (!(v >= low && v <= high)) continue;
            counts[Math.Min((int)((v - low) / width), bins - 1)]++;
        }
        return new Histogram(low, high, counts);
    }

    public double BinWidth => (High - Low) / Counts.Length;
}
