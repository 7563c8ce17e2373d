using Sparta.Tensors;

namespace Sparta.Data.Augmentation;

/// <summary>Gamma and Beta variates on a seeded <see cref="RandomGenerator"/> (for mixup's weight).</summary>
public static class RandomDistributions
{
    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 use the boost Gamma(a+1)·U^(1/a).</summary>
    public static double Gamma(this RandomGenerator random, double shape)
    {
        if (!(shape > 0) || !double.IsFinite(shape)) throw new ArgumentOutOfRangeException(nameof(shape), $"gamma shape must be positive, got {shape}");
        if (shape < 1) return random.Gamma(shape + 1) * Math.Pow(OpenUniform(random), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = random.Normal(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = OpenUniform(random);
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b).</summary>
    public static double Beta(this RandomGenerator random, double a, double b)
    {
        double x = random.Gamma(a), y = random.Gamma(b);
        return x / (x + y);
    }

    /// <summary>Uniform in (0, 1]: never 0, so logarithms and powers stay finite.</summary>
    private static double OpenUniform(RandomGenerator random) => 1 - random.NextDouble();
}
