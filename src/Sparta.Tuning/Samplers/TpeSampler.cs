using Sparta.Configuration;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Tree-structured Parzen Estimator, as Optuna 3.1's TPESampler with its defaults: random for
/// the first 10 trials; then the trials are split into the best gamma(n) = min(ceil(0.1 n), 25)
/// ("below") and the rest ("above"), a Parzen estimator is fitted to each, 24 candidates are
/// drawn from the "below" one and the candidate maximizing l(x)/g(x) is taken. Pruned trials
/// rank after complete ones, by how far they got, then by their last value. Independent per
/// parameter unless <see cref="Multivariate"/>. When trials record constraints, feasible trials
/// are preferred as Optuna's constraints_func makes them. Optionally (not Optuna's), every K-th
/// trial after the start-up is a local one around the best trial (<see cref="Samplers.TrustRegion"/>).
/// </summary>
public sealed class TpeSampler : ISampler
{
    private static readonly TrialState[] Observed = { TrialState.Complete, TrialState.Pruned };
    private readonly ISampler _startup;

    public TpeSampler(ulong seed = 0, int startupTrials = 10, int eiCandidates = 24, bool multivariate = false,
        Func<int, int>? gamma = null, ParzenOptions? parzen = null, bool centreFirst = false, bool sobolStartup = false,
        int trustRegionEvery = 0, double trustRegionLength = 0.8, int trustRegionCandidates = 1)
    {
        if (startupTrials < 0) throw new ArgumentOutOfRangeException(nameof(startupTrials), $"startup trials must be non-negative, got {startupTrials}");
        if (eiCandidates < 1) throw new ArgumentOutOfRangeException(nameof(eiCandidates), $"EI candidates must be at least 1, got {eiCandidates}");
        if (trustRegionEvery < 0) throw new ArgumentOutOfRangeException(nameof(trustRegionEvery), $"trust region period must be non-negative, got {trustRegionEvery}");
        // The experiment file's range: a side below the floor would restart at once.
        if (!(trustRegionLength >= TrustRegion.MinLength && trustRegionLength <= TrustRegion.MaxLength))
            throw new ArgumentOutOfRangeException(nameof(trustRegionLength), $"trust region length must be in [{TrustRegion.MinLength}, {TrustRegion.MaxLength}], got {trustRegionLength}");
        if (trustRegionCandidates < 1) throw new ArgumentOutOfRangeException(nameof(trustRegionCandidates), $"trust region candidates must be at least 1, got {trustRegionCandidates}");
        Seed = seed;
        StartupTrials = startupTrials;
        EiCandidates = eiCandidates;
        Gamma = gamma ?? DefaultGamma;
        Parzen = (parzen ?? new ParzenOptions()) with { Multivariate = multivariate };
        CentreFirst = centreFirst;
        SobolStartup = sobolStartup;
        TrustRegion = new TrustRegion(trustRegionEvery, trustRegionLength, startupTrials);
        TrustRegionCandidates = trustRegionCandidates;
        _startup = StartupSampler.Create(seed, sobolStartup, centreFirst);
    }

    public const string RegisteredName = "tpe";

    /// <summary>
    /// <c>{name: tpe, startup_trials: 10, ei_candidates: 24, multivariate: false, first_trial: random, startup: random,
    /// prior_weight: 1, consider_magic_clip: true, consider_endpoints: false, trust_region_every: 0, trust_region_length: 0.8,
    /// trust_region_candidates: 1}</c>,
    /// Optuna's names and defaults (<see cref="ParzenOptions"/>);
    /// <c>first_trial: centre</c> puts trial 0 at the centre of the space (<see cref="CentreFirstSampler"/>), <c>startup: sobol</c>
    /// takes the start-up trials from a scrambled Sobol sequence (<see cref="SobolSampler"/>), <c>trust_region_every: K</c>
    /// makes every K-th trial after the start-up a local one around the best trial (<see cref="Samplers.TrustRegion"/>), the best
    /// of <c>trust_region_candidates</c> draws in its box by l/g.
    /// </summary>
    internal static SamplerFactory FromConfig(ConfigReader r, bool multivariate)
    {
        int startupTrials = Check.AtLeast(r.Int("startup_trials", 10), 0, "startup_trials", r.Owner);
        int eiCandidates = Check.AtLeast(r.Int("ei_candidates", 24), 1, "ei_candidates", r.Owner);
        bool joint = r.Bool("multivariate", multivariate);
        bool centreFirst = StartupSampler.FirstTrialIsCentre(r);
        bool sobolStartup = StartupSampler.IsSobol(r);
        var parzen = new ParzenOptions
        {
            PriorWeight = Check.Positive(r.Double("prior_weight", 1.0), "prior_weight", r.Owner),
            ConsiderMagicClip = r.Bool("consider_magic_clip", true),
            ConsiderEndpoints = r.Bool("consider_endpoints", false),
        };
        int trustRegionEvery = Check.AtLeast(r.Int("trust_region_every", 0), 0, "trust_region_every", r.Owner);
        double trustRegionLength = Check.InRange(r.Double("trust_region_length", 0.8), TrustRegion.MinLength, TrustRegion.MaxLength, "trust_region_length", r.Owner);
        int trustRegionCandidates = Check.AtLeast(r.Int("trust_region_candidates", 1), 1, "trust_region_candidates", r.Owner);
        return (seed, _, _) => new TpeSampler(seed, startupTrials, eiCandidates, joint, parzen: parzen, centreFirst: centreFirst, sobolStartup: sobolStartup,
            trustRegionEvery: trustRegionEvery, trustRegionLength: trustRegionLength, trustRegionCandidates: trustRegionCandidates);
    }

    public ulong Seed { get; }
    public int StartupTrials { get; }
    public int EiCandidates { get; }
    public Func<int, int> Gamma { get; }
    public ParzenOptions Parzen { get; }
    public bool Multivariate => Parzen.Multivariate;
    /// <summary>Whether trial 0 takes the centre of the space rather than a random point (<see cref="CentreFirstSampler"/>).</summary>
    public bool CentreFirst { get; }
    /// <summary>Whether the start-up trials take scrambled Sobol points rather than random draws (<see cref="GpSampler.SobolStartup"/>).</summary>
    public bool SobolStartup { get; }
    /// <summary>The local trials around the best trial, interleaved with TPE's (none unless <c>trust_region_every</c> is set).</summary>
    internal TrustRegion TrustRegion { get; }
    /// <summary>Draws in the box per local trial; beyond one, the local trial takes the draw of the highest l/g (TPE's estimators over the box's space).</summary>
    public int TrustRegionCandidates { get; }
    public bool TakesSeveralObjectives => false;

    public static int DefaultGamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        TrustRegion.Takes(trial) ? SearchSpace.Intersection(study.History(trial, TrialState.Complete))
        : Multivariate ? SearchSpace.Intersection(study.History(trial, Observed)) : SearchSpace.Empty;

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        if (searchSpace.Count == 0) return SearchSpace.NoValues;
        if (TrustRegion.Takes(trial))
            return TrustRegion.Propose(study, trial, searchSpace, Seed, TrustRegionCandidates,
                TrustRegionCandidates > 1 && Estimators(study, trial, searchSpace) is var (lower, upper) ? draws => Choose(lower, upper, draws) : null);
        var best = Propose(study, trial, searchSpace, "relative");
        return best ?? SearchSpace.NoValues;
    }

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        var space = new Dictionary<string, Distribution> { [name] = distribution };
        return Propose(study, trial, space, name)?[name] ?? _startup.SampleIndependent(study, trial, name, distribution);
    }

    /// <summary>The candidate maximizing log l - log g, or null while the study has fewer observations than the start-up count.</summary>
    private Dictionary<string, double>? Propose(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> space, string stream)
    {
        if (Estimators(study, trial, space) is not var (lower, upper)) return null;
        return Choose(lower, upper, lower.Sample(RandomSampler.StreamFor(Seed, trial, "tpe:" + stream), EiCandidates));
    }

    /// <summary>The candidate maximizing log l - log g, the first of equals (Optuna's np.argmax).</summary>
    internal static Dictionary<string, double> Choose(ParzenEstimator lower, ParzenEstimator upper, Dictionary<string, double[]> candidates)
    {
        var logL = lower.LogPdf(candidates);
        var logG = upper.LogPdf(candidates);
        int best = 0;
        for (int i = 1; i < logL.Length; i++)
            if (logL[i] - logG[i] > logL[best] - logG[best]) best = i;
        return candidates.ToDictionary(p => p.Key, p => p.Value[best]);
    }

    /// <summary>
    /// The Parzen estimators l (fitted to the best gamma(n) observations) and g (the rest) over
    /// <paramref name="space"/>, or null while the study has fewer observations than the start-up
    /// count: Optuna's sample_independent and _sample_relative up to the draw of candidates.
    /// </summary>
    internal (ParzenEstimator Below, ParzenEstimator Above)? Estimators(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> space)
    {
        var split = Split(study, trial);
        int n = split.Trials.Length;
        if (n < StartupTrials || n == 0) return null;

        // Only trials holding every parameter of the space are observations (conditional parameters).
        var names = space.Keys.ToArray();
        var holds = new bool[n];
        int belowCount = 0, aboveCount = 0;
        for (int i = 0; i < n; i++)
        {
            holds[i] = Array.TrueForAll(names, split.Trials[i].InternalParams.ContainsKey);
            if (!holds[i]) continue;
            if (split.IsBelow[i]) belowCount++;
            else aboveCount++;
        }
        var below = names.ToDictionary(name => name, _ => new double[belowCount]);
        var above = names.ToDictionary(name => name, _ => new double[aboveCount]);
        for (int i = 0, b = 0, a = 0; i < n; i++)
        {
            if (!holds[i]) continue;
            var (side, index) = split.IsBelow[i] ? (below, b++) : (above, a++);
            foreach (var name in names) side[name][index] = split.Trials[i].InternalParams[name];
        }
        return (new ParzenEstimator(below, space, Parzen), new ParzenEstimator(above, space, Parzen));
    }

    /// <summary>The observed trials, in study order, and which of them are the best gamma(n) ("below").</summary>
    internal sealed record Observations(Study Study, int TrialId, FrozenTrial[] Trials, bool[] IsBelow);

    // The split of the trial being sampled: every parameter it suggests uses the same one, so the
    // study is read and ranked once per trial rather than once per parameter.
    private Observations? _lastSplit;

    internal Observations Split(Study study, FrozenTrial trial)
    {
        if (_lastSplit is { } last && ReferenceEquals(last.Study, study) && last.TrialId == trial.TrialId) return last;
        var trials = study.History(trial, Observed);
        var observed = new List<FrozenTrial>(trials.Count);
        var keys = new List<(double StepKey, double Score)>(trials.Count);
        double sign = study.Direction == StudyDirection.Maximize ? -1 : 1;
        foreach (var t in trials)
        {
            if (t.State == TrialState.Complete)
            {
                if (t.Value is not double v) continue;
                keys.Add((double.NegativeInfinity, sign * v));
            }
            else if (t.LastStep is int step)
            {
                // Pruned: after all complete trials, the further it got the better, then by its last value.
                double lastValue = t.IntermediateValues[step];
                keys.Add((-step, double.IsNaN(lastValue) ? double.PositiveInfinity : sign * lastValue));
            }
            else keys.Add((1, 0.0));
            observed.Add(t);
        }
        int n = observed.Count;
        var ranked = new int[n];
        for (int i = 0; i < n; i++) ranked[i] = i;
        // Ties keep study order (a stable sort), as Optuna's.
        Array.Sort(ranked, (x, y) => keys[x].CompareTo(keys[y]) is var c && c != 0 ? c : x.CompareTo(y));
        var isBelow = new bool[n];
        foreach (int i in Below(ranked, observed, Math.Min(Gamma(n), n))) isBelow[i] = true;
        return _lastSplit = new Observations(study, trial.TrialId, observed.ToArray(), isBelow);
    }

    /// <summary>
    /// The indices of the best <paramref name="count"/> observations: the first of <paramref name="ranked"/>;
    /// when trials record constraints (<see cref="Trial.SetConstraints"/>), Optuna's rule with a
    /// constraints_func: by least total violation (a trial without constraint values last) unless
    /// that many are feasible, then the best feasible ones.
    /// </summary>
    private static IEnumerable<int> Below(int[] ranked, List<FrozenTrial> observed, int count)
    {
        if (!observed.Any(t => t.SystemAttrs.ContainsKey(TrialConstraints.Key))) return ranked.Take(count);
        var violation = observed.Select(t => TrialConstraints.Of(t) is { } c ? TrialConstraints.Violation(c) : double.PositiveInfinity).ToArray();
        var byViolation = Enumerable.Range(0, observed.Count).OrderBy(i => violation[i]).ToArray();
        return count >= byViolation.Length || violation[byViolation[count]] > 0
            ? byViolation.Take(count)
            : ranked.Where(i => violation[i] == 0).Take(count);
    }
}
