using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Maps a parameter to [0, 1] and back, the space where Sobol, random and GP samplers work:
/// log ranges are mapped in log space, and grids of a step (and integers) are widened by half a
/// step on each side so every grid point owns an equal share of [0, 1] (Optuna's
/// _SearchSpaceTransform). A categorical with n choices gives each choice 1/n of the interval.
/// </summary>
public static class UnitSpace
{
    /// <summary>The interval (in log space for log ranges) that [0, 1] stretches over.</summary>
    public static (double Low, double High) Bounds(Distribution distribution) => distribution switch
    {
        FloatDistribution { Log: true } f => (Math.Log(f.Low), Math.Log(f.High)),
        FloatDistribution { Step: double step } f => (f.Low - 0.5 * step, f.High + 0.5 * step),
        FloatDistribution f => (f.Low, f.High),
        IntDistribution { Log: true } i => (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5)),
        IntDistribution i => (i.Low - 0.5 * i.Step, i.High + 0.5 * i.Step),
        CategoricalDistribution c => (0, c.Choices.Count),
        _ => throw new ArgumentException($"unknown distribution {distribution}"),
    };

    /// <summary>The internal value for a point u in [0, 1].</summary>
    public static double FromUnit(Distribution distribution, double u)
    {
        var (low, high) = Bounds(distribution);
        double t = low + Math.Clamp(u, 0, 1) * (high - low);
        return distribution switch
        {
            FloatDistribution { Log: true } f => Math.Clamp(Math.Exp(t), f.Low, f.High),
            FloatDistribution { Step: double step } f => Math.Clamp(Math.Round((t - f.Low) / step) * step + f.Low, f.Low, f.High),
            FloatDistribution f => Math.Clamp(t, f.Low, f.High),
            IntDistribution { Log: true } i => Math.Clamp(Math.Round(Math.Exp(t)), i.Low, i.High),
            IntDistribution i => Math.Clamp(Math.Round((t - i.Low) / i.Step) * i.Step + i.Low, i.Low, i.High),
            CategoricalDistribution c => Math.Min(Math.Floor(t), c.Choices.Count - 1),
            _ => throw new ArgumentException($"unknown distribution {distribution}"),
        };
    }

    /// <summary>The point in [0, 1] of an internal value (a grid point maps to the centre of its share).</summary>
    public static double ToUnit(Distribution distribution, double value)
    {
        var (low, high) = Bounds(distribution);
        double t = distribution switch
        {
            FloatDistribution { Log: true } or IntDistribution { Log: true } => Math.Log(value),
            CategoricalDistribution => value + 0.5,
            _ => value,
        };
        return Math.Clamp((t - low) / (high - low), 0, 1);
    }
}
