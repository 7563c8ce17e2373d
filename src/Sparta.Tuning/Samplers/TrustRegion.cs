using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// A local search around the best trial, interleaved with a model-based sampler: after the
/// start-up trials, every <see cref="Every"/>-th trial is drawn uniformly from a box centred on the
/// best complete trial in [0, 1]^d (<see cref="UnitSpace"/>: log ranges in log space). The box's
/// side follows TuRBO's rule (Eriksson et al., 2019): it starts at <see cref="InitialLength"/>,
/// doubles (up to 1.6) after 3 local trials in a row improve on the best by more than 0.1%,
/// halves after max(4, d) in a row do not, and starts again from its initial side once below
/// 2^-7. The side is replayed from the complete trials in number order, never kept between
/// calls, so a study's trials do not depend on which process drew them.
/// </summary>
internal sealed record TrustRegion(int Every, double InitialLength, int StartupTrials)
{
    public const double MinLength = 1.0 / 128;
    public const double MaxLength = 1.6;
    public const int SuccessesToGrow = 3;

    /// <summary>Whether <paramref name="trial"/> is a local trial: the Every-th, 2 Every-th, ... trial after the start-up.</summary>
    public bool Takes(FrozenTrial trial)
    {
        int after = TrialSystemAttrs.FirstAttempt(trial) - StartupTrials;
        return Every > 0 && after >= 0 && after % Every == Every - 1;
    }

    /// <summary>
    /// The local trial's values (internal form) over <paramref name="space"/>, or none before a trial
    /// holding the space is complete: <paramref name="candidates"/> uniform draws in the box, of which
    /// <paramref name="choose"/> (when given) takes one, as TPE takes the candidate of the highest l/g.
    /// </summary>
    public IReadOnlyDictionary<string, double> Propose(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> space, ulong seed,
        int candidates = 1, Func<Dictionary<string, double[]>, Dictionary<string, double>>? choose = null)
    {
        var names = space.Keys.ToArray();
        double sign = study.Direction == StudyDirection.Maximize ? -1 : 1;
        var complete = study.History(trial, TrialState.Complete)
            .Where(t => t.Value is double && names.All(t.InternalParams.ContainsKey)).ToList();
        if (complete.Count == 0) return SearchSpace.NoValues;
        var best = complete.MinBy(t => sign * t.Value!.Value)!;
        double length = Length(complete.Select(t => (Takes(t), sign * t.Value!.Value)), names.Length);
        var random = RandomSampler.StreamFor(seed, trial, "trust-region");
        var draws = new Dictionary<string, double[]>();
        foreach (var name in names)
        {
            double centre = UnitSpace.ToUnit(space[name], best.InternalParams[name]);
            double low = Math.Max(0, centre - length / 2), high = Math.Min(1, centre + length / 2);
            draws[name] = new double[candidates];
            for (int c = 0; c < candidates; c++) draws[name][c] = UnitSpace.FromUnit(space[name], low + random.NextDouble() * (high - low));
        }
        return choose is null ? draws.ToDictionary(p => p.Key, p => p.Value[0]) : choose(draws);
    }

    /// <summary>
    /// The box's side after <paramref name="trials"/> (in number order: whether each was local, and
    /// its value to minimize): local trials that improve on the best so far count as successes,
    /// the others as failures.
    /// </summary>
    public double Length(IEnumerable<(bool Local, double Value)> trials, int dimensions)
    {
        int failuresToShrink = Math.Max(4, dimensions);
        double length = InitialLength, best = double.PositiveInfinity;
        int successes = 0, failures = 0;
        foreach (var (local, value) in trials)
        {
            if (local)
            {
                if (value < best - 1e-3 * Math.Abs(best)) { successes++; failures = 0; }
                else { failures++; successes = 0; }
                if (successes == SuccessesToGrow) { length = Math.Min(2 * length, MaxLength); successes = 0; }
                if (failures == failuresToShrink) { length /= 2; failures = 0; }
                if (length < MinLength) length = InitialLength;
            }
            best = Math.Min(best, value);
        }
        return length;
    }
}
