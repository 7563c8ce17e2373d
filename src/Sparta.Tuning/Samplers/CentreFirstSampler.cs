using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Trial 0 at the centre of every range, the other trials from <paramref name="rest"/>: the
/// middle of a log range is its geometric mean, a grid's centre its nearest point (<see cref="UnitSpace"/>
/// at 0.5), a categorical's its first choice (the one written first, as Keras Tuner's default choice). A search space is usually written around
/// the values its author expects to work, so its centre is a better first guess than a random
/// point, as Keras Tuner's first trial takes the hyperparameters' defaults. A retried trial 0 is
/// still trial 0.
/// </summary>
public sealed class CentreFirstSampler(ISampler rest) : ISampler
{
    public ISampler Rest { get; } = rest;

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        IsFirst(trial) ? Centre(distribution) : Rest.SampleIndependent(study, trial, name, distribution);

    /// <summary>Whether <paramref name="trial"/> is the study's first trial (or a retry of it).</summary>
    public static bool IsFirst(FrozenTrial trial) => TrialSystemAttrs.FirstAttempt(trial) == 0;

    /// <summary>The internal value at the middle of <paramref name="distribution"/>'s range.</summary>
    public static double Centre(Distribution distribution) =>
        distribution is CategoricalDistribution ? 0 : UnitSpace.FromUnit(distribution, 0.5);
}
