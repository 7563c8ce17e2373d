using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Onnx;

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

    /// <summary>What the output of <paramref name="model"/> is (an ONNX Identity passed through): probabilities, log-probabilities, or null (unknown: logits, values).</summary>
    public static bool? GivesProbabilities(Model model) => OutputLayer(model, 0) switch
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

    /// <summary>The objective read from the output, or null when the output says nothing (the user must name the loss).</summary>
    public static (ComponentConfig Loss, IReadOnlyList<ComponentConfig> Metrics)? Infer(Model model) => GivesProbabilities(model) is bool probabilities
        ? (CrossEntropy("sparse_categorical_crossentropy", fromLogits: !probabilities), [new ComponentConfig("accuracy")])
        : null;

    /// <summary>The loss named <paramref name="name"/> for <paramref name="model"/>'s output; an unknown name fails in one line naming the close ones.</summary>
    public static ComponentConfig Loss(string name, Model model) => Loss(new ComponentConfig(name), model);

    /// <summary>
    /// <paramref name="config"/> for output <paramref name="output"/> of <paramref name="model"/>: a cross-entropy that does
    /// not say <c>from_logits</c> gets false when the output is probabilities (<see cref="EndsInProbabilities"/>), true
    /// otherwise; a config that says it keeps it. Checked: a bad name or key fails in one line.
    /// </summary>
    public static ComponentConfig Loss(ComponentConfig config, Model model, int output = 0)
    {
        var resolved = CrossEntropies.Contains(config.Name) && !config.Parameters.ContainsKey("from_logits")
            ? CrossEntropy(config.Name, !EndsInProbabilities(model, output), config.Parameters)
            : config;
        LossRegistry.Create(resolved);
        return resolved;
    }

    /// <summary>The loss of <paramref name="config"/> for output <paramref name="output"/> of <paramref name="model"/> (see <see cref="Loss(ComponentConfig, Model, int)"/>).</summary>
    public static Loss Create(ComponentConfig config, Model model, int output = 0) => LossRegistry.Create(Loss(config, model, output));

    /// <summary>Accuracy for a cross-entropy, else no metric: what a classifier and a regressor are scored by when the user names none.</summary>
    public static IReadOnlyList<ComponentConfig> DefaultMetrics(ComponentConfig loss) =>
        CrossEntropies.Contains(loss.Name) ? [new ComponentConfig("accuracy")] : [];

    /// <summary>The last layer of output <paramref name="output"/> that computes something (an ONNX Identity passed through).</summary>
    private static Layer? OutputLayer(Model model, int output) => output >= 0 && output < model.OutputNames.Count
        ? model.OutputChain(output).FirstOrDefault(l => l is not OnnxNode { OpType: "Identity" })
        : null;

    private static ComponentConfig CrossEntropy(string name, bool fromLogits, IEnumerable<KeyValuePair<string, object>>? others = null) =>
        new(name, (others ?? []).Append(new("from_logits", fromLogits)));
}
