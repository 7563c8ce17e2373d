namespace Sparta.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs, rows true and columns predicted (sklearn's
/// layout), and the per-class scores derived from them. A class with an empty denominator scores 0
/// (sklearn's zero_division=0).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    public ConfusionMatrix(int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), $"confusion matrix: classes must be at least 2, got {classes}");
        Classes = classes;
        _counts = new long[classes * classes];
    }

    public int Classes { get; }

    public long this[int trueClass, int predictedClass] => _counts[trueClass * Classes + predictedClass];

    public long Total => _counts.Sum();

    public void Update(ReadOnlySpan<int> trueLabels, ReadOnlySpan<int> predictedLabels)
    {
        if (trueLabels.Length != predictedLabels.Length)
            throw new ArgumentException($"confusion matrix: {trueLabels.Length} true labels but {predictedLabels.Length} predicted");
        for (int i = 0; i < trueLabels.Length; i++)
        {
            int t = trueLabels[i], p = predictedLabels[i];
            if ((uint)t >= (uint)Classes || (uint)p >= (uint)Classes)
                throw new ArgumentOutOfRangeException(nameof(trueLabels), $"confusion matrix: label pair ({t}, {p}) at {i} is outside [0, {Classes})");
            _counts[t * Classes + p]++;
        }
    }

    public void Reset() => Array.Clear(_counts);

    public long TruePositives(int c) => this[c, c];

    public long FalsePositives(int c) => ColumnSum(c) - this[c, c];

    public long FalseNegatives(int c) => RowSum(c) - this[c, c];

    /// <summary>Number of true samples of class c.</summary>
    public long Support(int c) => RowSum(c);

    public double Precision(int c) => Ratio(TruePositives(c), TruePositives(c) + FalsePositives(c));

    public double Recall(int c) => Ratio(TruePositives(c), TruePositives(c) + FalseNegatives(c));

    /// <summary>F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN).</summary>
    public double F1(int c) => Ratio(2 * TruePositives(c), 2 * TruePositives(c) + FalsePositives(c) + FalseNegatives(c));

    /// <summary>Jaccard index TP / (TP + FP + FN).</summary>
    public double IoU(int c) => Ratio(TruePositives(c), TruePositives(c) + FalsePositives(c) + FalseNegatives(c));

    public double Accuracy() => Ratio(Enumerable.Range(0, Classes).Sum(c => this[c, c]), Total);

    private long RowSum(int r)
    {
        long sum = 0;
        for (int c = 0; c < Classes; c++) sum += _counts[r * Classes + c];
        return sum;
    }

    private long ColumnSum(int c)
    {
        long sum = 0;
        for (int r = 0; r < Classes; r++) sum += _counts[r * Classes + c];
        return sum;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
