using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>
/// Fills a weight tensor at build time. Randomness comes only from the generator passed in (a
/// layer forks its own named stream), so the same seed gives the same weights.
/// </summary>
public abstract class Initializer
{
    /// <summary>The registered name (see <see cref="InitializerRegistry"/>).</summary>
    public abstract string Name { get; }

    public abstract void Initialize(Tensor weights, RandomGenerator random);

    public abstract ComponentConfig GetConfig();

    public override string ToString() => GetConfig().ToJson();

    protected ComponentConfig Config(params (string Key, object Value)[] parameters) =>
        new(Name, parameters.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));
}
