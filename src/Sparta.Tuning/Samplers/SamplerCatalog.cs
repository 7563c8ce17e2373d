using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>Samplers by the names the command line and experiment files use.</summary>
public static class SamplerCatalog
{
    public static readonly string[] Names = { "random", "grid", "sobol", "tpe", "tpe-multivariate", "gp" };

    /// <summary>
    /// The sampler called <paramref name="name"/>, seeded. A grid needs the search space and
    /// the trial budget: it takes the largest number of points per dimension whose grid fits.
    /// </summary>
    public static ISampler Create(string name, ulong seed, IReadOnlyDictionary<string, Distribution>? space = null, int trials = 0) => name switch
    {
        "random" => new RandomSampler(seed),
        "sobol" => new SobolSampler(seed),
        "tpe" => new TpeSampler(seed),
        "tpe-multivariate" => new TpeSampler(seed, multivariate: true),
        "gp" => new GpSampler(seed),
        "grid" => GridSampler.Over(space ?? throw new ArgumentException("sampler: grid needs a known search space"),
            PointsPerDimension(space, trials), seed),
        _ => throw new ArgumentException($"sampler: unknown sampler '{name}' (known: {string.Join(", ", Names)})"),
    };

    private static int PointsPerDimension(IReadOnlyDictionary<string, Distribution> space, int trials)
    {
        int numeric = space.Values.Count(d => d is not CategoricalDistribution);
        long choices = space.Values.OfType<CategoricalDistribution>().Aggregate(1L, (p, c) => p * c.Choices.Count);
        if (numeric == 0) return 1;
        double perNumeric = Math.Pow(Math.Max(trials, 1) / (double)choices, 1.0 / numeric);
        return Math.Max(2, (int)Math.Floor(perNumeric + 1e-9));
    }
}
