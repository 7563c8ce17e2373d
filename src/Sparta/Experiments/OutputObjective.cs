using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Onnx;
using Sparta.Serialization;

namespace Sparta.Experiments;

/// <summary>
/// What a cross-entropy reads from a model's output, and the loss and metrics to score a model that
/// records none (an ONNX file). A cross-entropy named without <c>from_logits</c> reads probabilities
/// when the output is a softmax or a sigmoid (Keras' from_logits false, read through the activation's
/// logits: the same loss as without the activation) and logits otherwise; a model that records no
/// loss is scored by sparse categorical cross-entropy on its softmax probabilities, or on its
/// log-softmax log-probabilities as logits (the same −log p), each with accuracy.
/// </summary>
public static class OutputObjective
{
    private static readonly string[] CrossEntropies = ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy"];

    /// <summary>
    /// What output <paramref name="output"/> of <paramref name="model"/> is (an ONNX Identity passed through):
    /// probabilities, log-probabilities, or null (unknown: logits, values).
    /// </summary>
    public static bool? GivesProbabilities(Model model, int output = 0) => OutputLayer(model, output) switch
    {
        OnnxNode { OpType: "Softmax" } => true,
        OnnxNode { OpType: "LogSoftmax" } => false,
        AffineLayer { Activation: Softmax } => true,
        ActivationLayer { Activation: Softmax } => true,
        _ => null,
    };

    /// <summary>Whether output <paramref name="output"/> of <paramref name="model"/> is a softmax's or a sigmoid's, probabilities a cross-entropy must not squash again.</summary>
    public static bool EndsInProbabilities(Model model, int output = 0) => OutputLayer(model, output) switch
    {
        OnnxNode { OpType: "Softmax" or "Sigmoid" } => true,
        AffineLayer { Activation: Softmax or Sigmoid } => true,
        ActivationLayer { Activation: Softmax or Sigmoid } => true,
        _ => false,
    };

    /// <summary>The objective read from output <paramref name="output"/>, or null when the output says nothing (the user must name the loss).</summary>
    public static (ComponentConfig Loss, IReadOnlyList<ComponentConfig> Metrics)? Infer(Model model, int output = 0) => GivesProbabilities(model, output) is bool probabilities
        ? (CrossEntropy("sparse_categorical_crossentropy", fromLogits: !probabilities), [new ComponentConfig("accuracy")])
        : null;

    /// <summary>
    /// The loss <paramref name="loss"/> for output <paramref name="output"/> of <paramref name="model"/>: a cross-entropy
    /// that does not say <c>from_logits</c> reads probabilities when the output is a softmax or a sigmoid
    /// (<see cref="EndsInProbabilities"/>) and logits otherwise; one that says it keeps it. An unknown name or key
    /// fails in one line naming the close ones.
    /// </summary>
    public static ComponentConfig Loss(ComponentConfig loss, Model model, int output = 0)
    {
        var config = CrossEntropies.Contains(loss.Name) && !loss.Parameters.ContainsKey("from_logits")
            ? new ComponentConfig(loss.Name, loss.Parameters.Append(new("from_logits", !EndsInProbabilities(model, output))))
            : loss;
        LossRegistry.Create(config);
        return config;
    }

    /// <summary>The loss of <paramref name="loss"/> for output <paramref name="output"/> of <paramref name="model"/> (see <see cref="Loss(ComponentConfig, Model, int)"/>).</summary>
    public static Loss Create(ComponentConfig loss, Model model, int output = 0) => LossRegistry.Create(Loss(loss, model, output));

    /// <summary>Accuracy for a cross-entropy, else no metric: what a classifier and a regressor are scored by when the user names none.</summary>
    public static IReadOnlyList<ComponentConfig> DefaultMetrics(ComponentConfig loss) =>
        CrossEntropies.Contains(loss.Name) ? [new ComponentConfig("accuracy")] : [];

    /// <summary>
    /// Each output's loss, weight and metrics to score a model with several outputs by. The loss: the one
    /// <paramref name="given"/> for that output, else <paramref name="loss"/> (every output's), else the one it was
    /// trained with, else the one its output implies (<see cref="Infer"/>); an output left with none fails in one line
    /// naming it. The metrics likewise (a loss given without metrics: <see cref="DefaultMetrics"/>); the weight: the
    /// one given, else the trained one, else 1 (Keras' default).
    /// </summary>
    public static IReadOnlyList<OutputSpec> ForOutputs(SavedModel saved, ComponentConfig? loss, IReadOnlyList<ComponentConfig>? metrics, OutputScoring? given)
    {
        var model = saved.Model;
        given ??= new OutputScoring();
        given.CheckNames(model);
        return model.OutputNames.Select((name, output) =>
        {
            var recorded = saved.OutputObjectives?.FirstOrDefault(o => o.Name == name);
            var inferred = recorded is null ? Infer(model, output) : null;
            var named = given.Losses?.GetValueOrDefault(name) ?? loss;
            var lossConfig = named is not null ? Loss(named, model, output)
                : recorded?.Loss ?? inferred?.Loss
                ?? throw new ModelFileException(saved.Path, $"output '{name}' records no loss and is not a softmax, so the loss to evaluate it by is unknown; name one (--loss {name}=LOSS)");
            var metricConfigs = given.Metrics?.GetValueOrDefault(name) ?? metrics
                ?? (named is null ? recorded?.Metrics ?? inferred?.Metrics : null) ?? DefaultMetrics(lossConfig);
            double weight = given.Weights is { } weights && weights.TryGetValue(name, out double w) ? w : recorded?.Weight ?? 1;
            return new OutputSpec(name, lossConfig, weight, metricConfigs);
        }).ToArray();
    }

    /// <summary>The last layer of output <paramref name="output"/> that computes something (an ONNX Identity passed through); null for no such output.</summary>
    private static Layer? OutputLayer(Model model, int output) => output >= 0 && output < model.OutputNames.Count
        ? model.OutputChain(output).FirstOrDefault(l => l is not OnnxNode { OpType: "Identity" })
        : null;

    private static ComponentConfig CrossEntropy(string name, bool fromLogits) => new(name, [new("from_logits", fromLogits)]);
}
