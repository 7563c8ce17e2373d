using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Independent uniform draws: uniform on linear ranges, log-uniform on log ranges (the slides'
/// "random search in log space"), equal odds for each grid point and choice.
/// </summary>
public sealed class RandomSampler(ulong seed = 0) : ISampler
{
    public const string RegisteredName = "random";

    public ulong Seed { get; } = seed;

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        UnitSpace.FromUnit(distribution, StreamFor(Seed, trial, name).NextDouble());

    /// <summary>
    /// The random stream of one parameter of one trial: it depends on the seed, the trial number
    /// (a retry's first attempt's) and the name only, so a trial draws the same values whatever
    /// other trials or parameters did, and a retried trial draws what its first attempt drew.
    /// </summary>
    internal static RandomGenerator StreamFor(ulong seed, FrozenTrial trial, string name) =>
        new RandomGenerator(seed).Fork((ulong)TrialSystemAttrs.FirstAttempt(trial)).Fork(name);
}
