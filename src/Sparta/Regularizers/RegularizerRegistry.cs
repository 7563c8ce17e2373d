using Sparta.Configuration;

namespace Sparta.Regularizers;

/// <summary>Regularizers by registered name: l1, l2, l1_l2.</summary>
public static class RegularizerRegistry
{
    public static Registry<Regularizer> Registry { get; } = Build();

    public static Regularizer Create(string name) => Registry.Create(name);

    public static Regularizer Create(ComponentConfig config) => Registry.Create(config);

    private static Registry<Regularizer> Build()
    {
        var registry = new Registry<Regularizer>("regularizer");
        registry.Register("l1", r => new L1L2(r.Double("l1", L1L2.DefaultFactor), 0));
        registry.Register("l2", r => new L1L2(0, r.Double("l2", L1L2.DefaultFactor)));
        registry.Register("l1_l2", r => new L1L2(r.Double("l1", L1L2.DefaultFactor), r.Double("l2", L1L2.DefaultFactor)));
        return registry;
    }
}
