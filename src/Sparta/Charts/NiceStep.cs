namespace Sparta.Charts;

/// <summary>
/// Tick spacing a person would choose: 1, 2 or 5 times a power of ten, giving about
/// <c>target</c> intervals over the span (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
/// </summary>
public static class NiceStep
{
    public static double For(double span, int target = 5)
    {
        if (!(span > 0) || !double.IsFinite(span)) throw new ArgumentOutOfRangeException(nameof(span), $"tick step: span must be positive and finite, got {span}");
        double raw = span / target;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;
        double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * power;
    }

    /// <summary>Decimals needed to tell ticks <paramref name="step"/> apart.</summary>
    public static int Decimals(double step) => Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
}
