using Sparta.Experiments;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;

namespace Sparta.Training;

/// <summary>Keras' <c>model.compile(optimizer, loss, metrics)</c>: returns the <see cref="Trainer"/> that fits the model.</summary>
public static class CompileExtensions
{
    public static Trainer Compile(this Model model, IOptimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null) =>
        new(model, optimizer, loss, metrics);

    /// <summary>
    /// With registered names: <c>model.Compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy")</c>. A
    /// cross-entropy reads the model's output as probabilities when it is a softmax or a sigmoid, as logits otherwise
    /// (<see cref="OutputObjective"/>), so a last layer with or without the softmax trains the same.
    /// </summary>
    public static Trainer Compile(this Model model, IOptimizer optimizer, string loss, params string[] metrics) =>
        new(model, optimizer, OutputObjective.Create(loss, model), metrics.Select(MetricRegistry.Create));
}
