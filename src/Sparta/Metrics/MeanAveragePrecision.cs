using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Mean over classes of the <see cref="AveragePrecision"/> of each class's scores (one-vs-rest),
/// from predictions [N, C] with targets as class indices, one-hot or multi-label 0/1 of the same
/// shape, or a single score [N] / [N, 1] with 0/1 targets (then the AP of class 1). Classes without
/// a positive target are left out of the mean. Keeps every score until <see cref="Result"/>.
/// </summary>
public sealed class MeanAveragePrecision : Metric
{
    public const string RegisteredName = "map";
    private readonly List<float> _scores = [];
    private readonly List<bool> _positive = [];
    private int _classes;

    public override string Name => RegisteredName;
    public override bool HigherIsBetter => true;

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        bool single = yPred.Rank < 2 || (yPred.Rank == 2 && yPred.Shape[1] == 1);
        int classes = single ? 1 : yPred.Shape[1];
        if (!single && yPred.Rank != 2)
            throw new ArgumentException($"metric 'map': y_pred must be [N, C] or [N], got shape {yPred.Shape}");
        if (_classes != 0 && classes != _classes)
            throw new ArgumentException($"metric 'map': y_pred {yPred.Shape} scores {classes} classes, earlier batches {_classes}");
        _classes = classes;
        int rows = yPred.Size / classes;
        var scores = yPred.Span;
        var targets = yTrue.Span;
        bool perClassTargets = yTrue.Size == yPred.Size;
        if (!perClassTargets && yTrue.Size != rows)
            throw new ArgumentException($"metric 'map': y_true shape {yTrue.Shape} is neither class indices for {rows} rows nor shaped like y_pred {yPred.Shape}");
        for (int n = 0; n < rows; n++)
        {
            // A single score is the score of class 1, the positive class.
            int positiveClass = perClassTargets ? -1 : ClassIndex(targets[n], n, Math.Max(classes, 2)) - (single ? 1 : 0);
            for (int c = 0; c < classes; c++)
            {
                _scores.Add(scores[n * classes + c]);
                _positive.Add(perClassTargets ? targets[n * classes + c] > 0.5f : positiveClass == c);
            }
        }
    }

    /// <summary>The AP of each class (NaN for a class without positives).</summary>
    public double[] ResultPerClass()
    {
        int rows = _classes == 0 ? 0 : _scores.Count / _classes;
        var result = new double[_classes];
        var scores = new float[rows];
        var positive = new bool[rows];
        for (int c = 0; c < _classes; c++)
        {
            for (int n = 0; n < rows; n++)
            {
                scores[n] = _scores[n * _classes + c];
                positive[n] = _positive[n * _classes + c];
            }
            result[c] = AveragePrecision.Of(scores, positive);
        }
        return result;
    }

    public override double Result()
    {
        var defined = ResultPerClass().Where(ap => !double.IsNaN(ap)).ToList();
        return defined.Count == 0 ? 0 : defined.Average();
    }

    public override void Reset()
    {
        _scores.Clear();
        _positive.Clear();
        _classes = 0;
    }

    public override ComponentConfig GetConfig() => Config();

    private static int ClassIndex(float value, int row, int classes)
    {
        int label = (int)value;
        if (label != value || label < 0 || label >= classes)
            throw new ArgumentException($"metric 'map': y_true[{row}] = {value} is not a class index in [0, {classes})");
        return label;
    }
}
