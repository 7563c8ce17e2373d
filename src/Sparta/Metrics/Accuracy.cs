using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// Fraction of positions classified right. One class serves Keras' accuracy names: targets may be
/// class indices (sparse_categorical_accuracy), one-hot (categorical_accuracy), or 0/1 against a
/// single score above the threshold (binary_accuracy); see <see cref="ClassLabels"/>.
/// </summary>
public sealed class Accuracy : Metric
{
    public static readonly string[] Names = ["accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy"];
    private long _correct, _total;
    private int[] _true = [], _predicted = [];

    public Accuracy(string name = "accuracy", double threshold = 0.5)
    {
        if (!Names.Contains(name)) throw new ArgumentException($"metric accuracy: name must be one of {string.Join(", ", Names)}, got '{name}'");
        Name = name;
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), $"metric '{name}': threshold must be finite, got {threshold}");
        Threshold = threshold;
    }

    public override string Name { get; }
    public override bool HigherIsBetter => true;
    public double Threshold { get; }

    public override void Update(Tensor yTrue, Tensor yPred)
    {
        int positions = ClassLabels.Positions(yPred);
        if (_true.Length < positions)
        {
            _true = new int[positions];
            _predicted = new int[positions];
        }
        var trueLabels = _true.AsSpan(0, positions);
        var predicted = _predicted.AsSpan(0, positions);
        ClassLabels.Predicted(yPred, Threshold, predicted);
        ClassLabels.Targets(Name, yTrue, yPred, ClassLabels.ClassCount(yPred), trueLabels);
        for (int i = 0; i < positions; i++) if (trueLabels[i] == predicted[i]) _correct++;
        _total += positions;
    }

    public override double Result() => _total == 0 ? 0 : (double)_correct / _total;

    public override void Reset() => _correct = _total = 0;

    public override ComponentConfig GetConfig() => Config(("threshold", Threshold));

    internal static Accuracy FromConfig(string name, ConfigReader r) => new(name, r.Double("threshold", 0.5));
}
