using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Chooses parameter values (Optuna's BaseSampler). A sampler may draw several parameters
/// jointly ("relative": from a search space fixed when the trial starts) and draws the rest one
/// at a time ("independent") as the objective asks for them. Values are in internal form.
/// Samplers only learn from COMPLETE (and, for some, PRUNED) trials, so failed trials never
/// influence them.
/// </summary>
public interface ISampler
{
    /// <summary>The parameters to draw jointly when the trial starts; empty for independent samplers.</summary>
    IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) => SearchSpace.Empty;

    /// <summary>Joint values (internal form) for the parameters of <paramref name="searchSpace"/>.</summary>
    IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        SearchSpace.NoValues;

    /// <summary>One value (internal form) for a parameter outside the relative search space.</summary>
    double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution);

    /// <summary>
    /// Whether the sampler can search a study of several objectives. Those that learn from one value
    /// (TPE, the GP) cannot; a study of several objectives refuses them when it is opened.
    /// </summary>
    bool TakesSeveralObjectives => true;

    /// <summary>Called once the trial's state and value are stored.</summary>
    void AfterTrial(Study study, FrozenTrial trial) { }
}
