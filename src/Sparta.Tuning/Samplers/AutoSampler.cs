using Sparta.Configuration;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// The default sampler of one objective: the GP (<c>{name: gp, startup_trials: 5, startup: sobol,
/// incumbent: mean}</c>, its hyperparameters a function of the history alone) where it is strong, TPE with Optuna's
/// defaults where it is not, as OptunaHub's AutoSampler chooses between them. Each trial is given to
/// one of the two by <see cref="Chooses"/>, a function of the study's history before the trial and
/// the declared search space only, so parallel and resumed studies repeat their trials as the two
/// samplers do.
/// </summary>
public sealed class AutoSampler : ISampler
{
    private readonly IReadOnlyDictionary<string, Distribution>? _space;

    public AutoSampler(ulong seed = 0, int gpTrials = DefaultGpTrials, IReadOnlyDictionary<string, Distribution>? space = null)
    {
        if (gpTrials < 0) throw new ArgumentOutOfRangeException(nameof(gpTrials), $"gp_trials must be at least 0, got {gpTrials}");
        Seed = seed;
        GpTrials = gpTrials;
        _space = space;
        Gp = CreateGp(seed);
        Tpe = new TpeSampler(seed);
    }

    public const string RegisteredName = "auto";

    /// <summary>
    /// Complete trials beyond which TPE takes over: the GP's every trial costs O(n^3) (docs/benchmarks.md
    /// gives its cost near 200 trials), and with many trials TPE's density estimates have the data they need.
    /// </summary>
    public const int DefaultGpTrials = 200;

    /// <summary><c>{name: auto, gp_trials: 200}</c>.</summary>
    internal static SamplerFactory FromConfig(ConfigReader r)
    {
        int gpTrials = Check.AtLeast(r.Int("gp_trials", DefaultGpTrials), 0, "gp_trials", r.Owner);
        return (seed, space, _) => new AutoSampler(seed, gpTrials, space);
    }

    /// <summary>
    /// The GP variant that chose the best configurations on the Fashion-MNIST surrogate and the test
    /// functions (docs/benchmarks.md), with the GP's default periodic refit (<see cref="GpSampler.PeriodicRefit"/>):
    /// what it proposes depends on the history alone, not on which trials this process saw before.
    /// </summary>
    public static GpSampler CreateGp(ulong seed) =>
        new(seed, startupTrials: 5, sobolStartup: true, meanIncumbent: true);

    public ulong Seed { get; }
    /// <summary>The GP proposes while fewer than this many trials are complete.</summary>
    public int GpTrials { get; }
    public GpSampler Gp { get; }
    public TpeSampler Tpe { get; }

    public bool TakesSeveralObjectives => false;

    /// <summary>
    /// The sampler of <paramref name="trial"/>: the GP while every parameter is numeric, no trial
    /// records constraints, no parameter is conditional and fewer than <see cref="GpTrials"/> trials
    /// are complete; TPE otherwise. The history only grows, so once TPE takes over it keeps the study.
    /// </summary>
    public ISampler Chooses(Study study, FrozenTrial trial)
    {
        var complete = study.History(trial, TrialState.Complete);
        // Past the budget a GP fit costs O(n^3) per trial while TPE's stays linear.
        if (complete.Count >= GpTrials) return Tpe;
        // The GP maps a choice onto [0, 1] as an ordinal, which orders choices that have no order;
        // TPE models each choice's own frequency.
        if (!AllNumeric(_space?.Values) || complete.Any(t => !AllNumeric(t.Distributions.Values))) return Tpe;
        // The GP models one value and ignores constraints; TPE prefers feasible trials as Optuna's does.
        if (study.History(trial, TrialState.Complete, TrialState.Pruned).Any(t => TrialConstraints.Of(t) is not null)) return Tpe;
        // The GP models only the parameters every trial has and draws the rest at random; TPE
        // models each parameter from the trials that have it.
        if (complete.Count > 1 && complete.Any(t => !t.Distributions.Keys.ToHashSet().SetEquals(complete[0].Distributions.Keys))) return Tpe;
        return Gp;
    }

    private static bool AllNumeric(IEnumerable<Distribution>? distributions) =>
        distributions is null || distributions.All(d => d is FloatDistribution or IntDistribution || d.IsSingle);

    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        Chooses(study, trial).InferRelativeSearchSpace(study, trial);

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace) =>
        Chooses(study, trial).SampleRelative(study, trial, searchSpace);

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution) =>
        Chooses(study, trial).SampleIndependent(study, trial, name, distribution);

    // Both are told (neither keeps anything today): choosing again would wait for earlier trials.
    public void AfterTrial(Study study, FrozenTrial trial)
    {
        ((ISampler)Gp).AfterTrial(study, trial);
        ((ISampler)Tpe).AfterTrial(study, trial);
    }
}
