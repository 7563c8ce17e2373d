using Sparta.Experiments;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Experiments;

/// <summary>
/// The grid of a conditional experiment space: every configuration its choices allow, each with
/// values for exactly the parameters it reaches (momentum only in SGD points, a width for each of
/// the chosen layers), so no two points differ only in a branch neither takes. Each range gets the
/// largest number of evenly spaced values (at least 2) that keeps the grid within the trial budget.
/// </summary>
internal static class ConditionalGrid
{
    private const int MaxPoints = 1_000_000;

    public static GridSampler Create(IReadOnlyList<SearchParameter> space, Func<SearchParameter, Distribution> distribution, int trials, ulong seed)
    {
        var best = Points(space, distribution, 2, Math.Max(trials, 1));
        for (int perRange = 3; best is not null && perRange <= trials; perRange++)
        {
            var larger = Points(space, distribution, perRange, trials);
            if (larger is null || larger.Count == best.Count) break; // over budget, or every range already exhausted
            best = larger;
        }
        best ??= Points(space, distribution, 2, MaxPoints)
            ?? throw new ArgumentException($"sampler: grid: the conditional space has more than {MaxPoints} grid points even at 2 values per range");
        return new GridSampler(best, seed);
    }

    /// <summary>The configurations with <paramref name="perRange"/> values per range, or null when there are more than <paramref name="limit"/>.</summary>
    private static List<IReadOnlyDictionary<string, object?>>? Points(IReadOnlyList<SearchParameter> space,
        Func<SearchParameter, Distribution> distribution, int perRange, int limit)
    {
        // File order puts every parameter after the one its condition names, so one pass extends each configuration.
        var points = new List<Dictionary<string, object?>> { new() };
        foreach (var parameter in space)
        {
            var values = GridSampler.Values(distribution(parameter), perRange);
            var next = new List<Dictionary<string, object?>>();
            foreach (var point in points)
            {
                if (parameter.Condition is { } c && !(point.TryGetValue(c.Parameter, out var on) && c.HoldsFor(on)))
                {
                    next.Add(point);
                    continue;
                }
                foreach (var value in values) next.Add(new Dictionary<string, object?>(point) { [parameter.Path] = value });
                if (next.Count > limit) return null;
            }
            points = next;
        }
        return points.Select(p => (IReadOnlyDictionary<string, object?>)p).ToList();
    }
}
