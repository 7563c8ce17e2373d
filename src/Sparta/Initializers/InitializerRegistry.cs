using Sparta.Configuration;

namespace Sparta.Initializers;

/// <summary>
/// Initializers by registered name (Keras' names; "normal", "uniform", "xavier_*" and "kaiming_*"
/// are accepted as aliases and come back under the Keras name).
/// </summary>
public static class InitializerRegistry
{
    public static Registry<Initializer> Registry { get; } = Build();

    public static Initializer Create(ComponentConfig config) => Registry.Create(config);

    public static Initializer Create(string name) => Registry.Create(name);

    private static Registry<Initializer> Build()
    {
        var registry = new Registry<Initializer>("initializer");
        registry.Register("zeros", _ => new ConstantInitializer(0));
        registry.Register("ones", _ => new ConstantInitializer(1));
        registry.Register(ConstantInitializer.RegisteredName, ConstantInitializer.FromConfig);
        foreach (string name in new[] { RandomNormal.RegisteredName, "normal" })
            registry.Register(name, r => RandomNormal.FromConfig(r, truncated: false));
        registry.Register(RandomNormal.TruncatedName, r => RandomNormal.FromConfig(r, truncated: true));
        foreach (string name in new[] { RandomUniform.RegisteredName, "uniform" })
            registry.Register(name, RandomUniform.FromConfig);
        registry.Register(VarianceScaling.RegisteredName, VarianceScaling.FromConfig);
        var presets = new (string[] Names, Func<VarianceScaling> Create)[]
        {
            (["glorot_uniform", "xavier_uniform"], VarianceScaling.GlorotUniform),
            (["glorot_normal", "xavier_normal"], VarianceScaling.GlorotNormal),
            (["he_uniform", "kaiming_uniform"], VarianceScaling.HeUniform),
            (["he_normal", "kaiming_normal"], VarianceScaling.HeNormal),
            (["lecun_uniform"], VarianceScaling.LecunUniform),
            (["lecun_normal"], VarianceScaling.LecunNormal),
        };
        foreach (var (names, create) in presets)
            foreach (string name in names) registry.Register(name, _ => create());
        registry.Register(Orthogonal.RegisteredName, Orthogonal.FromConfig);
        return registry;
    }
}
