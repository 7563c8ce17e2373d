using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Onnx;

namespace Sparta.Experiments;

/// <summary>
/// The loss and metrics to score a model that records none (an ONNX file), read from what its output
/// is: a softmax gives class probabilities, scored by sparse categorical cross-entropy on them, a
/// log-softmax log-probabilities (cross-entropy from logits gives the same −log p), each with
/// accuracy. A loss named by the user is built from its name; a cross-entropy then reads
/// probabilities when the output is a softmax (from_logits false), as Keras users expect.
/// </summary>
public static class OutputObjective
{
    private static readonly string[] CrossEntropies = ["sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy"];

    /// <summary>What the output of <paramref name="model"/> is (an ONNX Identity passed through): probabilities, log-probabilities, or null (unknown: logits, values).</summary>
    public static bool? GivesProbabilities(Model model) => model.OutputChain().FirstOrDefault(l => l is not OnnxNode { OpType: "Identity" }) switch
    {
        OnnxNode { OpType: "Softmax" } => true,
        OnnxNode { OpType: "LogSoftmax" } => false,
        AffineLayer { Activation: Softmax } => true,
        ActivationLayer { Activation: Softmax } => true,
        _ => null,
    };

    /// <summary>The objective read from the output, or null when the output says nothing (the user must name the loss).</summary>
    public static (ComponentConfig Loss, IReadOnlyList<ComponentConfig> Metrics)? Infer(Model model) => GivesProbabilities(model) is bool probabilities
        ? (CrossEntropy("sparse_categorical_crossentropy", fromLogits: !probabilities), [new ComponentConfig("accuracy")])
        : null;

    /// <summary>The loss named <paramref name="name"/> for <paramref name="model"/>'s output; an unknown name fails in one line naming the close ones.</summary>
    public static ComponentConfig Loss(string name, Model model)
    {
        var config = CrossEntropies.Contains(name)
            ? CrossEntropy(name, fromLogits: GivesProbabilities(model) != true)
            : new ComponentConfig(name);
        LossRegistry.Create(config);
        return config;
    }

    /// <summary>Accuracy for a cross-entropy, else no metric: what a classifier and a regressor are scored by when the user names none.</summary>
    public static IReadOnlyList<ComponentConfig> DefaultMetrics(ComponentConfig loss) =>
        CrossEntropies.Contains(loss.Name) ? [new ComponentConfig("accuracy")] : [];

    private static ComponentConfig CrossEntropy(string name, bool fromLogits) => new(name, [new("from_logits", fromLogits)]);
}
