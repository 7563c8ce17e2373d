using Sparta.Configuration;

namespace Sparta.Activations;

/// <summary>Activations by registered name (Keras' names; "identity" and "silu" are aliases).</summary>
public static class ActivationRegistry
{
    public static Registry<Activation> Registry { get; } = Build();

    public static Activation Create(string name) => Registry.Create(name);

    public static Activation Create(ComponentConfig config) => Registry.Create(config);

    private static Registry<Activation> Build()
    {
        var registry = new Registry<Activation>("activation");
        registry.Register("linear", _ => new Linear());
        registry.Register("identity", _ => new Linear());
        registry.Register("sigmoid", _ => new Sigmoid());
        registry.Register("tanh", _ => new Tanh());
        registry.Register("relu", _ => new Relu());
        registry.Register("leaky_relu", r => new LeakyRelu(r.Double("alpha", LeakyRelu.DefaultAlpha)));
        registry.Register("prelu", r => new PRelu(r.Double("initial_alpha", PRelu.DefaultInitialAlpha)));
        registry.Register("elu", r => new Elu(r.Double("alpha", 1)));
        registry.Register("maxout", r => new Maxout(r.Int("pieces", 2)));
        registry.Register("softplus", _ => new Softplus());
        registry.Register("swish", _ => new Swish());
        registry.Register("silu", _ => new Swish());
        registry.Register("softmax", r => new Softmax(r.Int("axis", -1)));
        return registry;
    }
}
