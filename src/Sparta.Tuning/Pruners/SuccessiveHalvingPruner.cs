using System.Globalization;
using Sparta.Configuration;

namespace Sparta.Tuning.Pruners;

/// <summary>
/// Asynchronous successive halving (ASHA; Optuna's SuccessiveHalvingPruner, same rules). Rung r
/// is reached at step min_resource * reduction_factor^(min_early_stopping_rate + r); there the
/// trial's value is recorded (system attribute <c>completed_rung_r</c>) and the trial goes on
/// only if it is in the top 1/reduction_factor of all values recorded at that rung so far.
/// A minimum resource of null ("auto") is estimated as max(last step of complete trials / 100, 1).
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    private int? _minResource;

    public SuccessiveHalvingPruner(int? minResource = null, int reductionFactor = 4, int minEarlyStoppingRate = 0, int bootstrapCount = 0)
    {
        if (minResource is < 1) throw new ArgumentOutOfRangeException(nameof(minResource), $"min resource must be at least 1 (or auto), got {minResource}");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), $"reduction factor must be at least 2, got {reductionFactor}");
        if (minEarlyStoppingRate < 0) throw new ArgumentOutOfRangeException(nameof(minEarlyStoppingRate), $"min early stopping rate must be non-negative, got {minEarlyStoppingRate}");
        if (bootstrapCount < 0) throw new ArgumentOutOfRangeException(nameof(bootstrapCount), $"bootstrap count must be non-negative, got {bootstrapCount}");
        if (bootstrapCount > 0 && minResource is null) throw new ArgumentException("successive halving: a bootstrap count needs an explicit min resource");
        _minResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
        BootstrapCount = bootstrapCount;
    }

    public const string RegisteredName = "successive-halving";

    /// <summary><c>{name: successive-halving, min_resource: 1, reduction_factor: 4, min_early_stopping_rate: 0, bootstrap_count: 0}</c>; no min_resource estimates it.</summary>
    internal static IPruner FromConfig(ConfigReader r)
    {
        int? minResource = r.Has("min_resource") ? Check.AtLeast(r.Int("min_resource", 1), 1, "min_resource", r.Owner) : null;
        int reductionFactor = Check.AtLeast(r.Int("reduction_factor", 4), 2, "reduction_factor", r.Owner);
        int minEarlyStoppingRate = Check.AtLeast(r.Int("min_early_stopping_rate", 0), 0, "min_early_stopping_rate", r.Owner);
        int bootstrapCount = Check.AtLeast(r.Int("bootstrap_count", 0), 0, "bootstrap_count", r.Owner);
        if (bootstrapCount > 0 && minResource is null)
            throw new ConfigKeyException($"{r.Owner}: bootstrap_count needs min_resource", "bootstrap_count", "needs an explicit min_resource");
        return new SuccessiveHalvingPruner(minResource, reductionFactor, minEarlyStoppingRate, bootstrapCount);
    }

    public int ReductionFactor { get; }
    public int MinEarlyStoppingRate { get; }
    public int BootstrapCount { get; }

    public static string RungKey(int rung) => $"completed_rung_{rung}";

    public bool Prune(Study study, FrozenTrial trial) => Prune(study, trial, () => study.Trials);

    /// <summary>Decides among the competing trials <paramref name="peers"/> gives (Hyperband passes one bracket's trials).</summary>
    internal bool Prune(Study study, FrozenTrial trial, Func<IReadOnlyList<FrozenTrial>> peers)
    {
        if (trial.LastStep is not int step) return false;
        int rung = 0;
        while (trial.SystemAttrs.ContainsKey(RungKey(rung))) rung++;
        double value = trial.IntermediateValues[step];
        IReadOnlyList<FrozenTrial>? trials = null;
        while (true)
        {
            if (_minResource is null)
            {
                trials ??= peers();
                var lastSteps = trials.Where(t => t.State == TrialState.Complete && t.LastStep is not null).Select(t => t.LastStep!.Value).ToList();
                if (lastSteps.Count == 0) return false;
                _minResource = Math.Max(lastSteps.Max() / 100, 1);
            }
            long promotionStep = _minResource.Value * (long)Math.Pow(ReductionFactor, MinEarlyStoppingRate + rung);
            if (step < promotionStep) return false;
            if (double.IsNaN(value)) return true;
            trials ??= peers();
            string key = RungKey(rung);
            study.Storage.SetTrialSystemAttr(trial.TrialId, key, Distributions.PythonJson.Float(value));
            var competing = trials.Where(t => t.TrialId != trial.TrialId && t.SystemAttrs.ContainsKey(key))
                .Select(t => double.Parse(t.SystemAttrs[key], CultureInfo.InvariantCulture)).Append(value).ToList();
            if (competing.Count <= BootstrapCount) return true;
            if (!IsPromotable(value, competing, study.Direction)) return true;
            rung++;
        }
    }

    /// <summary>In the top 1/reduction_factor of the values at the rung (at least the best one).</summary>
    private bool IsPromotable(double value, List<double> competing, StudyDirection direction)
    {
        int promotableIndex = Math.Max(competing.Count / ReductionFactor - 1, 0);
        competing.Sort();
        return direction == StudyDirection.Maximize
            ? value >= competing[^(promotableIndex + 1)]
            : value <= competing[promotableIndex];
    }
}
