using System.Globalization;

namespace Sparta.Configuration;

/// <summary>Argument checks that fail with one line naming the argument and the value received.</summary>
public static class Check
{
    public static double Positive(double value, string name, string owner)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw Fail(owner, name, "must be positive and finite", value);
        return value;
    }

    public static double NonNegative(double value, string name, string owner)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw Fail(owner, name, "must be non-negative and finite", value);
        return value;
    }

    /// <summary>Within [low, high) — e.g. a decay rate or momentum in [0, 1).</summary>
    public static double InRange(double value, double low, double high, string name, string owner)
    {
        if (!(value >= low && value < high)) throw Fail(owner, name, $"must be in [{Show(low)}, {Show(high)})", value);
        return value;
    }

    public static double AtLeast(double value, double minimum, string name, string owner)
    {
        if (!(value >= minimum) || double.IsInfinity(value)) throw Fail(owner, name, $"must be at least {Show(minimum)} and finite", value);
        return value;
    }

    public static int AtLeast(int value, int minimum, string name, string owner)
    {
        if (value < minimum) throw new ArgumentOutOfRangeException(name, $"{owner}: {name} must be at least {minimum}, got {value}");
        return value;
    }

    private static ArgumentOutOfRangeException Fail(string owner, string name, string rule, double value) =>
        new(name, $"{owner}: {name} {rule}, got {Show(value)}");

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
