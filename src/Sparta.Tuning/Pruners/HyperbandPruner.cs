using System.Text;
using Sparta.Configuration;

namespace Sparta.Tuning.Pruners;

/// <summary>
/// Hyperband (Optuna's HyperbandPruner): several successive-halving brackets with different
/// early-stopping rates; each trial belongs to one bracket, chosen by a hash of the study name
/// and trial number in proportion to the bracket's budget, and competes only with its bracket.
/// </summary>
public sealed class HyperbandPruner : IPruner
{
    private readonly int _minResource;
    private int? _maxResource;
    private readonly int _reductionFactor;
    private readonly int _bootstrapCount;
    private List<SuccessiveHalvingPruner>? _brackets;
    private int[] _budgets = Array.Empty<int>();

    public HyperbandPruner(int minResource = 1, int? maxResource = null, int reductionFactor = 3, int bootstrapCount = 0)
    {
        if (minResource < 1) throw new ArgumentOutOfRangeException(nameof(minResource), $"min resource must be at least 1, got {minResource}");
        if (maxResource is int max && max < minResource) throw new ArgumentOutOfRangeException(nameof(maxResource), $"max resource must be at least the min resource {minResource}, got {max}");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), $"reduction factor must be at least 2, got {reductionFactor}");
        if (bootstrapCount > 0 && maxResource is null) throw new ArgumentException("hyperband: a bootstrap count needs an explicit max resource");
        _minResource = minResource;
        _maxResource = maxResource;
        _reductionFactor = reductionFactor;
        _bootstrapCount = bootstrapCount;
    }

    public const string RegisteredName = "hyperband";

    /// <summary><c>{name: hyperband, min_resource: 1, max_resource: 27, reduction_factor: 3, bootstrap_count: 0}</c>; no max_resource takes the first finished trial's last step.</summary>
    internal static IPruner FromConfig(ConfigReader r)
    {
        int minResource = Check.AtLeast(r.Int("min_resource", 1), 1, "min_resource", r.Owner);
        int? maxResource = r.Has("max_resource") ? Check.AtLeast(r.Int("max_resource", 1), minResource, "max_resource", r.Owner) : null;
        int reductionFactor = Check.AtLeast(r.Int("reduction_factor", 3), 2, "reduction_factor", r.Owner);
        int bootstrapCount = Check.AtLeast(r.Int("bootstrap_count", 0), 0, "bootstrap_count", r.Owner);
        if (bootstrapCount > 0 && maxResource is null)
            throw new ConfigKeyException($"{r.Owner}: bootstrap_count needs max_resource", "bootstrap_count", "needs an explicit max_resource");
        return new HyperbandPruner(minResource, maxResource, reductionFactor, bootstrapCount);
    }

    public int BracketCount => _brackets?.Count ?? 0;

    public bool Prune(Study study, FrozenTrial trial)
    {
        if (_brackets is null && !TryInitialize(study)) return false;
        int bracket = BracketOf(study.Name, trial.Number);
        return _brackets![bracket].Prune(study, trial,
            () => study.Trials.Where(t => BracketOf(study.Name, t.Number) == bracket).ToList());
    }

    private bool TryInitialize(Study study)
    {
        if (_maxResource is null)
        {
            var lastSteps = study.GetTrials(TrialState.Complete).Where(t => t.LastStep is not null).Select(t => t.LastStep!.Value).ToList();
            if (lastSteps.Count == 0) return false;
            _maxResource = lastSteps.Max() + 1;
        }
        int n = (int)Math.Floor(Math.Log((double)_maxResource.Value / _minResource, _reductionFactor) + 1e-12) + 1;
        _budgets = new int[n];
        _brackets = new List<SuccessiveHalvingPruner>();
        for (int b = 0; b < n; b++)
        {
            int s = n - 1 - b;
            _budgets[b] = (int)Math.Ceiling(n * Math.Pow(_reductionFactor, s) / (s + 1));
            _brackets.Add(new SuccessiveHalvingPruner(_minResource, _reductionFactor, b, _bootstrapCount));
        }
        return true;
    }

    /// <summary>Optuna's bracket choice: crc32("{study}_{number}") modulo the total budget, walked through the brackets' budgets.</summary>
    internal int BracketOf(string studyName, int number)
    {
        // CRC-32 as zlib and Python's binascii.crc32 compute it, so trials fall in the brackets Optuna would choose.
        uint hash = System.IO.Hashing.Crc32.HashToUInt32(Encoding.UTF8.GetBytes($"{studyName}_{number}"));
        long n = hash % _budgets.Sum();
        for (int b = 0; b < _budgets.Length; b++)
        {
            n -= _budgets[b];
            if (n < 0) return b;
        }
        throw new InvalidOperationException("hyperband: bracket budgets do not cover the hash");
    }
}
