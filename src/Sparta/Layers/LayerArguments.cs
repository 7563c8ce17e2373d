using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Regularizers;

namespace Sparta.Layers;

/// <summary>
/// Reads a component argument of a layer config (activation, initializer, regularizer), given
/// either as a registered name ("relu") or as a config ({"name": "leaky_relu", "alpha": 0.1}).
/// </summary>
internal static class LayerArguments
{
    public static Activation? Activation(ConfigReader r, string key = "activation") => Component(r, key, ActivationRegistry.Registry);

    public static Initializer? Initializer(ConfigReader r, string key) => Component(r, key, InitializerRegistry.Registry);

    public static Regularizer? Regularizer(ConfigReader r, string key) => Component(r, key, RegularizerRegistry.Registry);

    private static T? Component<T>(ConfigReader r, string key, Registry<T> registry) where T : class
    {
        object? raw = r.Raw(key);
        try
        {
            return raw switch
            {
                null => null,
                string name => registry.Create(name),
                ComponentConfig config => registry.Create(config),
                _ => throw new ArgumentException($"must be a name or a config, got {raw}"),
            };
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{r.Owner}, key '{key}': {e.Message}", e);
        }
    }
}
