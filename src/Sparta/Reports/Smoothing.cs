namespace Sparta.Reports;

/// <summary>
/// TensorBoard's smoothing of a noisy curve: an exponential moving average whose weight says how
/// much of the past each point keeps (0 leaves the curve as it is, 0.99 nearly flattens it),
/// debiased so the first points are not pulled towards zero. A value that is not finite is kept as
/// it is and does not enter the average (a diverged epoch still shows where it happened).
/// </summary>
public static class Smoothing
{
    public static double[] Exponential(IReadOnlyList<double> values, double weight)
    {
        if (!(weight >= 0 && weight < 1)) throw new ArgumentOutOfRangeException(nameof(weight), weight, $"smoothing: expected a weight in [0, 1), got {weight}");
        var smoothed = new double[values.Count];
        double average = 0;
        int seen = 0;
        for (int i = 0; i < values.Count; i++)
        {
            double value = values[i];
            if (!double.IsFinite(value))
            {
                smoothed[i] = value;
                continue;
            }
            average = average * weight + (1 - weight) * value;
            seen++;
            smoothed[i] = average / (1 - Math.Pow(weight, seen));
        }
        return smoothed;
    }
}
