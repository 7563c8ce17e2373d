using Sparta.Configuration;

namespace Sparta.Tuning.Pruners;

/// <summary>
/// Pruners by registered name with their parameters, as experiment files (<c>search.pruner</c>) and
/// <c>sparta tune --pruner</c> give them: <c>{name: median, warmup_steps: 2}</c>, Optuna's names and defaults.
/// </summary>
public static class PrunerRegistry
{
    public static Registry<IPruner> Registry { get; } = Build();

    public static IPruner Create(ComponentConfig config) => Registry.Create(config);

    private static Registry<IPruner> Build()
    {
        var registry = new Registry<IPruner>("pruner");
        registry.Register(NopPruner.RegisteredName, _ => new NopPruner());
        registry.Register(MedianPruner.RegisteredName, r => PercentilePruner.FromConfig(r, percentile: 50));
        registry.Register(PercentilePruner.RegisteredName, r => PercentilePruner.FromConfig(r, percentile: null));
        registry.Register(SuccessiveHalvingPruner.RegisteredName, SuccessiveHalvingPruner.FromConfig);
        registry.Register(HyperbandPruner.RegisteredName, HyperbandPruner.FromConfig);
        return registry;
    }
}
