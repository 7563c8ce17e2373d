using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>
/// Keras' VarianceScaling: weights with variance scale / n, n the fan-in, fan-out or their average.
/// Presets: Glorot/Xavier (scale 1, fan_avg; Glorot and Bengio 2010), He/Kaiming (scale 2, fan_in;
/// He et al. 2015, for ReLU), LeCun (scale 1, fan_in; for SELU and tanh). The "normal" presets draw
/// from a normal truncated at two standard deviations and widened so the variance is still exact
/// (Keras' convention; PyTorch draws an untruncated normal: <c>distribution: untruncated_normal</c>).
/// The slides' "Xavier" W = randn(D, H) / √D is lecun_normal with an untruncated normal, and their
/// "He" W = randn(D, H) / √(D/2) is he_normal.
/// </summary>
public sealed class VarianceScaling : Initializer
{
    public const string RegisteredName = "variance_scaling";
    public static readonly string[] Modes = ["fan_in", "fan_out", "fan_avg"];
    public static readonly string[] Distributions = ["truncated_normal", "untruncated_normal", "uniform"];

    /// <summary>Standard deviation of a standard normal truncated to [−2, 2].</summary>
    private const double TruncatedStddev = 0.87962566103423978;

    private readonly string? _preset;

    public VarianceScaling(double scale = 1, string mode = "fan_in", string distribution = "truncated_normal")
        : this(scale, mode, distribution, null)
    {
    }

    private VarianceScaling(double scale, string mode, string distribution, string? preset)
    {
        string owner = $"initializer '{preset ?? RegisteredName}'";
        Scale = Check.Positive(scale, "scale", owner);
        if (!Modes.Contains(mode)) throw new ArgumentException($"{owner}: mode must be one of {string.Join(", ", Modes)}, got '{mode}'");
        if (!Distributions.Contains(distribution))
            throw new ArgumentException($"{owner}: distribution must be one of {string.Join(", ", Distributions)}, got '{distribution}'");
        Mode = mode;
        Distribution = distribution;
        _preset = preset;
    }

    public static VarianceScaling GlorotUniform() => new(1, "fan_avg", "uniform", "glorot_uniform");
    public static VarianceScaling GlorotNormal() => new(1, "fan_avg", "truncated_normal", "glorot_normal");
    public static VarianceScaling HeUniform() => new(2, "fan_in", "uniform", "he_uniform");
    public static VarianceScaling HeNormal() => new(2, "fan_in", "truncated_normal", "he_normal");
    public static VarianceScaling LecunUniform() => new(1, "fan_in", "uniform", "lecun_uniform");
    public static VarianceScaling LecunNormal() => new(1, "fan_in", "truncated_normal", "lecun_normal");

    public double Scale { get; }
    public string Mode { get; }
    public string Distribution { get; }

    public override string Name => _preset ?? RegisteredName;

    /// <summary>The variance the weights of this shape are drawn with.</summary>
    public double Variance(Shape shape)
    {
        Fans fans = Fans.Of(shape);
        double n = Mode switch { "fan_in" => fans.In, "fan_out" => fans.Out, _ => fans.Average };
        return Scale / Math.Max(1, n);
    }

    public override void Initialize(Tensor weights, RandomGenerator random)
    {
        double variance = Variance(weights.Shape);
        switch (Distribution)
        {
            case "uniform":
                double limit = Math.Sqrt(3 * variance);
                random.FillUniform(weights.Span, -limit, limit);
                break;
            case "truncated_normal":
                random.FillTruncatedNormal(weights.Span, 0, Math.Sqrt(variance) / TruncatedStddev);
                break;
            default:
                random.FillNormal(weights.Span, 0, Math.Sqrt(variance));
                break;
        }
    }

    public override ComponentConfig GetConfig() =>
        _preset is null ? Config(("scale", Scale), ("mode", Mode), ("distribution", Distribution)) : Config();

    internal static VarianceScaling FromConfig(ConfigReader r) => new(
        r.Double("scale", 1), r.Choice("mode", "fan_in", Modes), r.Choice("distribution", "truncated_normal", Distributions));
}
