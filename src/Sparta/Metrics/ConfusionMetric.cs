using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// A classification score read off a streaming <see cref="ConfusionMatrix"/> (precision, recall,
/// F1, IoU). The class count is given or taken from the first batch's predictions. Averages as
/// sklearn: <c>binary</c> (class 1 of two; the default for two classes), <c>macro</c> (unweighted
/// mean over classes; the default otherwise), <c>micro</c> (from the pooled counts) and
/// <c>weighted</c> (by support).
/// </summary>
public abstract class ConfusionMetric : Metric
{
    public static readonly string[] Averages = ["binary", "macro", "micro", "weighted"];
    private int[] _true = [], _predicted = [];

    protected ConfusionMetric(int? classes, string? average, double threshold)
    {
        if (classes is int c && c < 2) throw new ArgumentOutOfRangeException(nameof(classes), $"metric '{Name}': num_classes must be at least 2, got {c}");
        if (average is not null && !Averages.Contains(average))
            throw new ArgumentException($"metric '{Name}': average must be one of {string.Join(", ", Averages)}, got '{average}'");
        if (average == "binary" && classes is int k && k != 2)
            throw new ArgumentException($"metric '{Name}': average 'binary' needs 2 classes, got num_classes {k}");
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), $"metric '{Name}': threshold must be finite, got {threshold}");
        Classes = classes;
        ConfiguredAverage = average;
        Threshold = threshold;
        if (classes is int n) Matrix = new ConfusionMatrix(n);
    }

    public int? Classes { get; }
    public double Threshold { get; }

    public override bool HigherIsBetter => true;

    /// <summary>The counts so far (null before the first batch when the class count is inferred).</summary>
    public ConfusionMatrix? Matrix { get; private set; }

    /// <summary>The average in use: the configured one, or the default for the class count.</summary>
    public string Average => ConfiguredAverage ?? (Matrix?.Classes == 2 ? "binary" : "macro");

    private string? ConfiguredAverage { get; }

    /// <summary>The score of class c from the counts.</summary>
    protected abstract double ScoreOf(ConfusionMatrix matrix, int c);

    /// <summary>The score with all classes pooled (micro average).</summary>
    protected abstract double Pooled(long truePositives, long falsePositives, long falseNegatives);

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        int classes = ClassLabels.ClassCount(yPred);
        Matrix ??= new ConfusionMatrix(classes);
        if (yPred.Rank >= 2 && yPred.Shape[1] > 1 && classes != Matrix.Classes)
            throw new ArgumentException($"metric '{Name}': y_pred {yPred.Shape} scores {classes} classes, the metric counts {Matrix.Classes}");
        if (Average == "binary" && Matrix.Classes != 2)
            throw new ArgumentException($"metric '{Name}': average 'binary' needs 2 classes, got {Matrix.Classes}");
        int positions = ClassLabels.Positions(yPred);
        if (_true.Length < positions)
        {
            _true = new int[positions];
            _predicted = new int[positions];
        }
        ClassLabels.Predicted(yPred, Threshold, _predicted.AsSpan(0, positions));
        ClassLabels.Targets(Name, yTrue, yPred, Matrix.Classes, _true.AsSpan(0, positions));
        Matrix.Update(_true.AsSpan(0, positions), _predicted.AsSpan(0, positions));
    }

    /// <summary>The score of every class (what sklearn returns with average=None).</summary>
    public double[] ResultPerClass() =>
        Matrix is null ? [] : Enumerable.Range(0, Matrix.Classes).Select(c => ScoreOf(Matrix, c)).ToArray();

    public override double Result()
    {
        if (Matrix is null) return 0;
        int classes = Matrix.Classes;
        switch (Average)
        {
            case "binary":
                return ScoreOf(Matrix, 1);
            case "micro":
                long tp = 0, fp = 0, fn = 0;
                for (int c = 0; c < classes; c++)
                {
                    tp += Matrix.TruePositives(c);
                    fp += Matrix.FalsePositives(c);
                    fn += Matrix.FalseNegatives(c);
                }
                return Pooled(tp, fp, fn);
            case "weighted":
                long total = Matrix.Total;
                return total == 0 ? 0 : Enumerable.Range(0, classes).Sum(c => ScoreOf(Matrix, c) * Matrix.Support(c)) / total;
            default:
                return Enumerable.Range(0, classes).Average(c => ScoreOf(Matrix, c));
        }
    }

    public override void Reset()
    {
        if (Classes is null) Matrix = null;
        else Matrix!.Reset();
    }

    public override ComponentConfig GetConfig() =>
        Config(("num_classes", Classes), ("average", ConfiguredAverage), ("threshold", Threshold));

    protected static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    internal static (int? Classes, string? Average, double Threshold) Read(ConfigReader r) =>
        (r.Has("num_classes") ? r.Int("num_classes", 2) : null,
         r.Has("average") ? r.Choice("average", "macro", Averages) : null,
         r.Double("threshold", 0.5));
}
