using Sparta.Losses;
using Sparta.Metrics;

namespace Sparta.Training;

/// <summary>
/// One output's part of the objective of a model with several outputs (Keras' <c>compile</c> with a
/// loss, a loss weight and metrics per output name). The trained loss is the weighted sum of the
/// outputs' losses; the History logs each as <c>OUTPUT_loss</c> and each metric as <c>OUTPUT_METRIC</c>.
/// <code>
/// var trainer = new Trainer(model, new Adam(1e-3), [
///     new OutputLoss("species", new SparseCategoricalCrossEntropy(), 1, [new Accuracy()]),
///     new OutputLoss("mass", new MeanAbsoluteError(), 0.01)]);
/// </code>
/// </summary>
public sealed record OutputLoss(string Output, Loss Loss, double Weight = 1, IReadOnlyList<Metric>? Metrics = null);
