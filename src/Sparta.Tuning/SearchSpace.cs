using Sparta.Tuning.Distributions;

namespace Sparta.Tuning;

/// <summary>Helpers over sets of named distributions.</summary>
public static class SearchSpace
{
    public static readonly IReadOnlyDictionary<string, Distribution> Empty = new Dictionary<string, Distribution>();
    public static readonly IReadOnlyDictionary<string, double> NoValues = new Dictionary<string, double>();

    /// <summary>
    /// Optuna's intersection search space: the parameters every given trial has, with the same
    /// distribution in all of them, in sorted name order. Conditional parameters drop out, which
    /// is what joint samplers need (they then draw those independently).
    /// </summary>
    public static IReadOnlyDictionary<string, Distribution> Intersection(IEnumerable<FrozenTrial> trials)
    {
        Dictionary<string, Distribution>? space = null;
        foreach (var trial in trials)
        {
            if (space is null)
            {
                space = new Dictionary<string, Distribution>(trial.Distributions);
                continue;
            }
            foreach (var name in space.Keys.ToList())
                if (!trial.Distributions.TryGetValue(name, out var d) || !d.Equals(space[name]))
                    space.Remove(name);
        }
        if (space is null) return Empty;
        return space.Where(p => !p.Value.IsSingle).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
    }
}
