using System.Collections.Concurrent;
using Sparta.Configuration;
using Sparta.Tensors;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Grid search: every combination of the given values, each visited once, in a seeded random
/// order (Optuna's GridSampler). Trials record their grid point as the system attribute
/// <c>grid_id</c>, so workers sharing a study skip the points others took. Once every point is
/// taken, points are visited again in the same order. A conditional space's grid is a list of
/// points instead, each holding only the parameters its choices reach, so no two points differ
/// only in a branch neither takes.
/// </summary>
public sealed class GridSampler : ISampler
{
    public const string GridIdAttr = "grid_id";
    private readonly string[] _names;
    private readonly IReadOnlyList<object?>[]? _values;
    private readonly IReadOnlyList<IReadOnlyDictionary<string, object?>>? _points;
    private readonly int[] _order;
    private readonly ConcurrentDictionary<int, int> _pointOfTrial = new();

    public GridSampler(IReadOnlyDictionary<string, IReadOnlyList<object?>> grid, ulong seed = 0)
    {
        if (grid.Count == 0) throw new ArgumentException("grid sampler: the grid has no parameters");
        foreach (var (name, values) in grid)
            if (values.Count == 0) throw new ArgumentException($"grid sampler: parameter '{name}' has no values");
        _names = grid.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        _values = _names.Select(n => grid[n]).ToArray();
        long size = _values.Aggregate(1L, (p, v) => p * v.Count);
        if (size > 10_000_000) throw new ArgumentException($"grid sampler: {size} grid points are too many");
        Size = (int)size;
        _order = Shuffled(Size, seed);
    }

    /// <summary>A grid of given points, each a whole configuration (a conditional space's grid).</summary>
    public GridSampler(IReadOnlyList<IReadOnlyDictionary<string, object?>> points, ulong seed = 0)
    {
        if (points.Count == 0) throw new ArgumentException("grid sampler: the grid has no points");
        _points = points;
        _names = points.SelectMany(p => p.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        Size = points.Count;
        _order = Shuffled(Size, seed);
    }

    private static int[] Shuffled(int size, ulong seed)
    {
        var order = Enumerable.Range(0, size).ToArray();
        new RandomGenerator(seed).Fork("grid").Shuffle<int>(order);
        return order;
    }

    public const string RegisteredName = "grid";

    /// <summary>
    /// <c>grid</c>, over the study's space: the largest number of points per numeric range (at least 2)
    /// whose grid fits the trial budget.
    /// </summary>
    internal static SamplerFactory FromConfig(ConfigReader r) =>
        (seed, space, trials) => Over(space ?? throw new ArgumentException("sampler 'grid': needs a known search space"), PointsPerDimension(space, trials), seed);

    /// <summary>The largest number of points per numeric range (at least 2) whose grid, times the choices, fits <paramref name="trials"/>.</summary>
    public static int PointsPerDimension(IReadOnlyDictionary<string, Distribution> space, int trials)
    {
        int numeric = space.Values.Count(d => d is not CategoricalDistribution);
        long choices = space.Values.OfType<CategoricalDistribution>().Aggregate(1L, (p, c) => p * c.Choices.Count);
        if (numeric == 0) return 1;
        double perNumeric = Math.Pow(Math.Max(trials, 1) / (double)choices, 1.0 / numeric);
        return Math.Max(2, (int)Math.Floor(perNumeric + 1e-9));
    }

    /// <summary>The number of grid points.</summary>
    public int Size { get; }

    /// <summary>A grid of <paramref name="pointsPerDimension"/> evenly spaced values per numeric range (geometric on log ranges) and every choice.</summary>
    public static GridSampler Over(IReadOnlyDictionary<string, Distribution> space, int pointsPerDimension, ulong seed = 0)
    {
        if (pointsPerDimension < 1) throw new ArgumentOutOfRangeException(nameof(pointsPerDimension), $"points per dimension must be at least 1, got {pointsPerDimension}");
        return new GridSampler(space.ToDictionary(p => p.Key, p => Values(p.Value, pointsPerDimension)), seed);
    }

    /// <summary>A dimension's grid values: every choice, or up to <paramref name="pointsPerDimension"/> evenly spaced values of a range (geometric on log ranges).</summary>
    public static IReadOnlyList<object?> Values(Distribution d, int pointsPerDimension)
    {
        if (d is CategoricalDistribution c) return c.Choices;
        return Enumerable.Range(0, pointsPerDimension)
            .Select(i => UnitSpace.FromUnit(d, pointsPerDimension == 1 ? 0.5 : ToInnerUnit(d, i / (double)(pointsPerDimension - 1))))
            .Distinct().Select(v => d.ToExternal(v)).ToList();
    }

    /// <summary>Maps t in [0, 1] onto the unit interval between the end points of the range (not the half-step margins).</summary>
    private static double ToInnerUnit(Distribution d, double t)
    {
        var (low, high) = d switch
        {
            FloatDistribution f => (f.Low, f.High),
            IntDistribution i => ((double)i.Low, (double)i.High),
            _ => (0.0, 1.0),
        };
        double lo = UnitSpace.ToUnit(d, low), hi = UnitSpace.ToUnit(d, high);
        return lo + t * (hi - lo);
    }

    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        int index = Array.IndexOf(_names, name);
        if (index < 0) throw new ArgumentException($"grid sampler: parameter '{name}' is not in the grid (grid: {string.Join(", ", _names)})");
        int point = _pointOfTrial.GetOrAdd(trial.TrialId, _ => TakePoint(study, trial));
        if (_points is not null)
            return _points[point].TryGetValue(name, out var value) ? distribution.ToInternal(value)
                : throw new ArgumentException($"grid sampler: grid point {point} has no value for '{name}' (it holds: {string.Join(", ", _points[point].Keys)})");
        // Decode the point's mixed-radix digits; the last name varies fastest.
        for (int i = _names.Length - 1; i > index; i--) point /= _values![i].Count;
        return distribution.ToInternal(_values![index][point % _values[index].Count]);
    }

    public void AfterTrial(Study study, FrozenTrial trial) => _pointOfTrial.TryRemove(trial.TrialId, out _);

    private int TakePoint(Study study, FrozenTrial trial)
    {
        if (trial.SystemAttrs.TryGetValue(GridIdAttr, out var stored)) return int.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);
        var visits = new int[Size];
        foreach (var t in study.Trials)
            if (t.TrialId != trial.TrialId && t.SystemAttrs.TryGetValue(GridIdAttr, out var id) && int.TryParse(id, out int g) && g >= 0 && g < Size)
                visits[g]++;
        int fewest = visits.Min();
        int point = _order.First(g => visits[g] == fewest);
        study.Storage.SetTrialSystemAttr(trial.TrialId, GridIdAttr, point.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return point;
    }
}
