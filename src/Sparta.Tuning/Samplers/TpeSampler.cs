using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Tree-structured Parzen Estimator, as Optuna 3.1's TPESampler with its defaults: random for
/// the first 10 trials; then the trials are split into the best gamma(n) = min(ceil(0.1 n), 25)
/// ("below") and the rest ("above"), a Parzen estimator is fitted to each, 24 candidates are
/// drawn from the "below" one and the candidate maximizing l(x)/g(x) is taken. Pruned trials
/// rank after complete ones, by how far they got, then by their last value. Independent per
/// parameter unless <see cref="Multivariate"/>.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private static readonly TrialState[] Observed = { TrialState.Complete, TrialState.Pruned };
    private readonly RandomSampler _random;

    public TpeSampler(ulong seed = 0, int startupTrials = 10, int eiCandidates = 24, bool multivariate = false,
        Func<int, int>? gamma = null, ParzenOptions? parzen = null)
    {
        if (startupTrials < 0) throw new ArgumentOutOfRangeException(nameof(startupTrials), $"startup trials must be non-negative, got {startupTrials}");
        if (eiCandidates < 1) throw new ArgumentOutOfRangeException(nameof(eiCandidates), $"EI candidates must be at least 1, got {eiCandidates}");
        Seed = seed;
        StartupTrials = startupTrials;
        EiCandidates = eiCandidates;
        Gamma = gamma ?? DefaultGamma;
        Parzen = (parzen ?? new ParzenOptions()) with { Multivariate = multivariate };
        _random = new RandomSampler(seed);
    }

    public ulong Seed { get; }
    public int StartupTrials { get; }
    public int EiCandidates { get; }
    public Func<int, int> Gamma { get; }
    public ParzenOptions Parzen { get; }
    public bool Multivariate => Parzen.Multivariate;

    public static int DefaultGamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        Multivariate ? SearchSpace.Intersection(study.GetTrials(Observed)) : SearchSpace.Empty;

    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        if (searchSpace.Count == 0) return SearchSpace.NoValues;
        var best = Propose(study, trial, searchSpace, "relative");
        return best ?? SearchSpace.NoValues;
    }

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        var space = new Dictionary<string, Distribution> { [name] = distribution };
        return Propose(study, trial, space, name)?[name] ?? _random.SampleIndependent(study, trial, name, distribution);
    }

    /// <summary>The candidate maximizing log l - log g, or null while the study has fewer observations than the start-up count.</summary>
    private Dictionary<string, double>? Propose(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> space, string stream)
    {
        var trials = study.GetTrials(Observed);
        var scored = new List<(FrozenTrial Trial, double StepKey, double Score)>();
        double sign = study.Direction == StudyDirection.Maximize ? -1 : 1;
        foreach (var t in trials)
        {
            if (t.State == TrialState.Complete)
            {
                if (t.Value is double v) scored.Add((t, double.NegativeInfinity, sign * v));
            }
            else if (t.LastStep is int step)
            {
                double last = t.IntermediateValues[step];
                scored.Add((t, -step, double.IsNaN(last) ? double.PositiveInfinity : sign * last));
            }
            else scored.Add((t, 1, 0.0));
        }
        int n = scored.Count;
        if (n < StartupTrials || n == 0) return null;

        var ranked = Enumerable.Range(0, n).OrderBy(i => scored[i].StepKey).ThenBy(i => scored[i].Score).ToArray(); // LINQ sorts are stable
        var isBelow = new bool[n];
        foreach (int i in ranked.Take(Gamma(n))) isBelow[i] = true;

        // Only trials holding every parameter of the space are observations (conditional parameters).
        var below = new Dictionary<string, List<double>>();
        var above = new Dictionary<string, List<double>>();
        foreach (var name in space.Keys) { below[name] = new(); above[name] = new(); }
        for (int i = 0; i < n; i++)
        {
            var t = scored[i].Trial;
            if (!space.Keys.All(t.InternalParams.ContainsKey)) continue;
            var side = isBelow[i] ? below : above;
            foreach (var name in space.Keys) side[name].Add(t.InternalParams[name]);
        }
        var lower = new ParzenEstimator(below.ToDictionary(p => p.Key, p => p.Value.ToArray()), space, Parzen);
        var upper = new ParzenEstimator(above.ToDictionary(p => p.Key, p => p.Value.ToArray()), space, Parzen);
        var candidates = lower.Sample(RandomSampler.StreamFor(Seed, trial, "tpe:" + stream), EiCandidates);
        var logL = lower.LogPdf(candidates);
        var logG = upper.LogPdf(candidates);
        int best = 0;
        for (int i = 1; i < EiCandidates; i++)
            if (logL[i] - logG[i] > logL[best] - logG[best]) best = i;
        return candidates.ToDictionary(p => p.Key, p => p.Value[best]);
    }
}
