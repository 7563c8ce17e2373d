using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>Every value the same; "zeros" (the default for biases) and "ones" are its presets.</summary>
public sealed class ConstantInitializer : Initializer
{
    public const string RegisteredName = "constant";

    public ConstantInitializer(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), $"initializer 'constant': value must be finite, got {value}");
        Value = value;
    }

    public double Value { get; }

    public override string Name => Value switch { 0 => "zeros", 1 => "ones", _ => RegisteredName };

    public override void Initialize(Tensor weights, RandomGenerator random) => weights.Span.Fill((float)Value);

    public override ComponentConfig GetConfig() => Name == RegisteredName ? Config(("value", Value)) : Config();

    internal static ConstantInitializer FromConfig(ConfigReader r) => new(r.Double("value", 0));
}
