using Sparta.Configuration;

namespace Sparta.Metrics;

/// <summary>
/// Intersection over union per class of label masks (or labels), TP / (TP + FP + FN), averaged over
/// the classes present in the targets or the predictions (Keras' MeanIoU; absent classes are
/// skipped rather than counted as 0). Per-class values with <see cref="ConfusionMetric.ResultPerClass"/>.
/// </summary>
public sealed class MeanIoU(int? classes = null, double threshold = 0.5) : ConfusionMetric(classes, "macro", threshold)
{
    public override string Name => "iou";

    protected override double ScoreOf(ConfusionMatrix m, int c) => m.IoU(c);

    protected override double Pooled(long tp, long fp, long fn) => Ratio(tp, tp + fp + fn);

    public override double Result()
    {
        if (Matrix is null) return 0;
        var present = Enumerable.Range(0, Matrix.Classes)
            .Where(c => Matrix.TruePositives(c) + Matrix.FalsePositives(c) + Matrix.FalseNegatives(c) > 0).ToList();
        return present.Count == 0 ? 0 : present.Average(c => Matrix.IoU(c));
    }

    public override ComponentConfig GetConfig() => Config(("num_classes", Classes), ("threshold", Threshold));

    internal static MeanIoU FromConfig(ConfigReader r) =>
        new(r.Has("num_classes") ? r.Int("num_classes", 2) : null, r.Double("threshold", 0.5));
}
