using Sparta.Configuration;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// A sampler's settings, ready to build one seeded sampler per study or worker. A grid needs the
/// search space and the trial budget; the other samplers ignore them.
/// </summary>
public delegate ISampler SamplerFactory(ulong seed, IReadOnlyDictionary<string, Distribution>? space, int trials);

/// <summary>
/// Samplers by registered name with their parameters, as experiment files (<c>search.sampler</c>) and
/// <c>sparta tune --sampler</c> give them: <c>{name: tpe, startup_trials: 20}</c>. Creating checks every
/// parameter at once, so a bad value fails before any study is opened. "tpe-multivariate" is "tpe"
/// with <c>multivariate: true</c>.
/// </summary>
public static class SamplerRegistry
{
    public static Registry<SamplerFactory> Registry { get; } = Build();

    public static SamplerFactory Create(ComponentConfig config) => Registry.Create(config);

    /// <summary>The sampler <paramref name="config"/> describes, seeded, for <paramref name="space"/> and a budget of <paramref name="trials"/>.</summary>
    public static ISampler Create(ComponentConfig config, ulong seed, IReadOnlyDictionary<string, Distribution>? space = null, int trials = 0) =>
        Create(config)(seed, space, trials);

    private static Registry<SamplerFactory> Build()
    {
        var registry = new Registry<SamplerFactory>("sampler");
        registry.Register(RandomSampler.RegisteredName, _ => (seed, _, _) => new RandomSampler(seed));
        registry.Register(GridSampler.RegisteredName, GridSampler.FromConfig);
        registry.Register(SobolSampler.RegisteredName, SobolSampler.FromConfig);
        registry.Register(TpeSampler.RegisteredName, r => TpeSampler.FromConfig(r, multivariate: false));
        registry.Register("tpe-multivariate", r => TpeSampler.FromConfig(r, multivariate: true));
        registry.Register(GpSampler.RegisteredName, GpSampler.FromConfig);
        registry.Register(NsgaIISampler.RegisteredName, NsgaIISampler.FromConfig);
        registry.Register(AutoSampler.RegisteredName, AutoSampler.FromConfig);
        return registry;
    }
}
