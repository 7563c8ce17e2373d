using Sparta.Configuration;

namespace Sparta.Metrics;

/// <summary>Precision TP / (TP + FP): of the positions predicted as a class, the share that is.</summary>
public sealed class Precision(int? classes = null, string? average = null, double threshold = 0.5)
    : ConfusionMetric(classes, average, threshold)
{
    public override string Name => "precision";
    protected override double ScoreOf(ConfusionMatrix m, int c) => m.Precision(c);
    protected override double Pooled(long tp, long fp, long fn) => Ratio(tp, tp + fp);
    internal static Precision FromConfig(ConfigReader r) { var (c, a, t) = Read(r); return new(c, a, t); }
}

/// <summary>Recall TP / (TP + FN): of the positions of a class, the share found.</summary>
public sealed class Recall(int? classes = null, string? average = null, double threshold = 0.5)
    : ConfusionMetric(classes, average, threshold)
{
    public override string Name => "recall";
    protected override double ScoreOf(ConfusionMatrix m, int c) => m.Recall(c);
    protected override double Pooled(long tp, long fp, long fn) => Ratio(tp, tp + fn);
    internal static Recall FromConfig(ConfigReader r) { var (c, a, t) = Read(r); return new(c, a, t); }
}

/// <summary>F1, the harmonic mean of precision and recall, 2PR / (P + R).</summary>
public sealed class F1Score(int? classes = null, string? average = null, double threshold = 0.5)
    : ConfusionMetric(classes, average, threshold)
{
    public override string Name => "f1";
    protected override double ScoreOf(ConfusionMatrix m, int c) => m.F1(c);
    protected override double Pooled(long tp, long fp, long fn) => Ratio(2 * tp, 2 * tp + fp + fn);
    internal static F1Score FromConfig(ConfigReader r) { var (c, a, t) = Read(r); return new(c, a, t); }
}
