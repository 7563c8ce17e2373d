using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>Uniform on [−limit, limit) (variance limit²/3); Keras' default limit 0.05.</summary>
public sealed class RandomUniform : Initializer
{
    public const string RegisteredName = "random_uniform";

    public RandomUniform(double limit = 0.05) => Limit = Check.Positive(limit, "limit", "initializer 'random_uniform'");

    public double Limit { get; }

    public override string Name => RegisteredName;

    public override void Initialize(Tensor weights, RandomGenerator random) => random.FillUniform(weights.Span, -Limit, Limit);

    public override ComponentConfig GetConfig() => Config(("limit", Limit));

    internal static RandomUniform FromConfig(ConfigReader r) => new(r.Double("limit", 0.05));
}
