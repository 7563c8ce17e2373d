using Sparta.Configuration;
using Sparta.Models;

namespace Sparta.Experiments;

/// <summary>
/// What to score some outputs of a model with several outputs by, by output name, instead of what the model records
/// (an ONNX file records nothing): as Keras' <c>compile(loss={...}, loss_weights={...}, metrics={...})</c> before
/// <c>evaluate</c>. An output left out keeps its own (<see cref="OutputObjective.ForOutputs"/>).
/// </summary>
/// <param name="Losses">Each named output's loss; a cross-entropy without <c>from_logits</c> reads a softmax output's probabilities.</param>
/// <param name="Weights">Each named output's weight in the total loss (≥ 0).</param>
/// <param name="Metrics">Each named output's metrics.</param>
public sealed record OutputScoring(
    IReadOnlyDictionary<string, ComponentConfig>? Losses = null,
    IReadOnlyDictionary<string, double>? Weights = null,
    IReadOnlyDictionary<string, IReadOnlyList<ComponentConfig>>? Metrics = null)
{
    /// <summary>Whether it names any output.</summary>
    public bool IsEmpty => (Losses?.Count ?? 0) + (Weights?.Count ?? 0) + (Metrics?.Count ?? 0) == 0;

    /// <summary>Every name is an output of <paramref name="model"/>, and every weight a finite number ≥ 0; else one line naming the option and the value.</summary>
    public void CheckNames(Model model)
    {
        Check("--loss", Losses?.Keys, model);
        Check("--loss-weights", Weights?.Keys, model);
        Check("--metrics", Metrics?.Keys, model);
        foreach (var (name, weight) in Weights ?? new Dictionary<string, double>())
            if (!(weight >= 0 && double.IsFinite(weight)))
                throw new ArgumentException($"--loss-weights: the weight of output '{name}' must be a finite number ≥ 0, got {Scalars.Format(weight)}");
    }

    private static void Check(string option, IEnumerable<string>? names, Model model)
    {
        foreach (string name in names ?? [])
            if (!model.OutputNames.Contains(name))
                throw new ArgumentException($"{option}: model '{model.Name}' has no output '{name}' (its outputs: {string.Join(", ", model.OutputNames)})");
    }
}
