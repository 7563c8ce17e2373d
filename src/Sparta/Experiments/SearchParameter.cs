namespace Sparta.Experiments;

public enum SearchKind { Uniform, LogUniform, Int, Choice }

/// <summary>
/// A value of the experiment file written as a distribution (<c>learning_rate: {loguniform: [1e-3, 10]}</c>),
/// independent of any tuning library: the key path, the kind and its bounds, step or choices.
/// <see cref="Experiment.Resolve"/> substitutes a sampled value at <see cref="Path"/>.
/// </summary>
public sealed record SearchParameter(string Path, SearchKind Kind, double Low = 0, double High = 0, double? Step = null,
    bool Log = false, IReadOnlyList<object>? Choices = null)
{
    /// <summary>The distribution keys an experiment file accepts.</summary>
    public static readonly string[] KindNames = ["uniform", "loguniform", "int", "choice"];
}
