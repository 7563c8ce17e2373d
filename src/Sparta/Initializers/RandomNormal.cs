using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>
/// Normal(mean, std) — the slides' "small random numbers" start is std 0.01. With
/// <c>truncated</c>, values beyond two standard deviations are redrawn (Keras' TruncatedNormal, so
/// the spread is about 0.88·std). Keras' default std 0.05.
/// </summary>
public sealed class RandomNormal : Initializer
{
    public const string RegisteredName = "random_normal";
    public const string TruncatedName = "truncated_normal";

    public RandomNormal(double mean = 0, double stddev = 0.05, bool truncated = false)
    {
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), $"initializer '{Label(truncated)}': mean must be finite, got {mean}");
        Mean = mean;
        Stddev = Check.Positive(stddev, "stddev", $"initializer '{Label(truncated)}'");
        Truncated = truncated;
    }

    public double Mean { get; }
    public double Stddev { get; }
    public bool Truncated { get; }

    public override string Name => Label(Truncated);

    public override void Initialize(Tensor weights, RandomGenerator random)
    {
        if (Truncated) random.FillTruncatedNormal(weights.Span, Mean, Stddev);
        else random.FillNormal(weights.Span, Mean, Stddev);
    }

    public override ComponentConfig GetConfig() => Config(("mean", Mean), ("stddev", Stddev));

    internal static RandomNormal FromConfig(ConfigReader r, bool truncated) => new(r.Double("mean", 0), r.Double("stddev", 0.05), truncated);

    private static string Label(bool truncated) => truncated ? TruncatedName : RegisteredName;
}
