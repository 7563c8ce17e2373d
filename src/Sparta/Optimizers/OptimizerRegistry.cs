using Sparta.Configuration;

namespace Sparta.Optimizers;

/// <summary>
/// Optimizers by registered name. "momentum" and "nesterov" are presets of "sgd" (momentum 0.9),
/// so their configs come back under the name "sgd" with the momentum spelled out.
/// </summary>
public static class OptimizerRegistry
{
    public static Registry<IOptimizer> Registry { get; } = Build();

    public static IOptimizer Create(ComponentConfig config) => Registry.Create(config);

    public static IOptimizer Create(string name) => Registry.Create(name);

    private static Registry<IOptimizer> Build()
    {
        var registry = new Registry<IOptimizer>("optimizer");
        registry.Register(Sgd.RegisteredName, r => Sgd.FromConfig(r, 0, false));
        registry.Register("momentum", r => Sgd.FromConfig(r, 0.9, false));
        registry.Register("nesterov", r => Sgd.FromConfig(r, 0.9, true));
        registry.Register(Adagrad.RegisteredName, Adagrad.FromConfig);
        registry.Register(RmsProp.RegisteredName, RmsProp.FromConfig);
        registry.Register(Adam.RegisteredName, Adam.FromConfig);
        registry.Register(AdamW.RegisteredName, AdamW.FromConfig);
        registry.Register(Lbfgs.RegisteredName, Lbfgs.FromConfig);
        return registry;
    }
}
