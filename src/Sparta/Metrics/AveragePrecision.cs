namespace Sparta.Metrics;

/// <summary>
/// Average precision of one class from scores, the area under the precision-recall curve as
/// sklearn's average_precision_score and the VOC all-points measure without interpolation:
/// AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct score thresholds, highest first (tied scores form one
/// threshold).
/// </summary>
public static class AveragePrecision
{
    /// <summary>NaN when there is no positive (recall is undefined).</summary>
    public static double Of(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive)
    {
        int positives = 0;
        foreach (bool p in positive) if (p) positives++;
        return Of(scores, positive, positives);
    }

    /// <summary>
    /// With recall measured against <paramref name="positives"/>, which may exceed the positives
    /// among the scored items (objects no detection found still count as missed).
    /// </summary>
    public static double Of(ReadOnlySpan<float> scores, ReadOnlySpan<bool> positive, int positives)
    {
        if (scores.Length != positive.Length)
            throw new ArgumentException($"average precision: {scores.Length} scores but {positive.Length} labels");
        if (positives == 0) return double.NaN;

        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        for (int i = 0; i < keys.Length; i++)
        {
            if (float.IsNaN(keys[i])) throw new ArgumentException($"average precision: score {i} is NaN");
            keys[i] = -keys[i];
        }
        Array.Sort(keys, order);

        double ap = 0, previousRecall = 0;
        long truePositives = 0, seen = 0;
        for (int i = 0; i < order.Length; i++)
        {
            if (positive[order[i]]) truePositives++;
            seen++;
            bool endOfThreshold = i == order.Length - 1 || keys[i + 1] != keys[i];
            if (!endOfThreshold) continue;
            double recall = (double)truePositives / positives;
            ap += (recall - previousRecall) * truePositives / seen;
            previousRecall = recall;
        }
        return ap;
    }
}
