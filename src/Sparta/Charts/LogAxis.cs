using System.Globalization;

namespace Sparta.Charts;

/// <summary>
/// A logarithmic axis: equal distances for equal ratios, ticks at the powers of ten (every
/// second or third one when many decades are shown). Only positive values have a place on it.
/// </summary>
public sealed class LogAxis : Axis
{
    private const int MaxTicks = 9;
    private readonly double _logMin, _logMax;

    public LogAxis(string label, double min, double max) : base(label)
    {
        if (!(min > 0) || !double.IsFinite(max) || !(max > min))
            throw new ArgumentException($"log axis '{label}': range must be positive with max > min, got [{min}, {max}]");
        Min = min;
        Max = max;
        (_logMin, _logMax) = (Math.Log10(min), Math.Log10(max));
        int first = (int)Math.Ceiling(_logMin - 1e-9), last = (int)Math.Floor(_logMax + 1e-9);
        int stride = Math.Max(1, (int)Math.Ceiling((last - first + 1) / (double)MaxTicks));
        var ticks = new List<Tick>();
        for (int k = first; k <= last; k += stride) ticks.Add(new Tick(Math.Pow(10, k), DecadeLabel(k)));
        Ticks = ticks;
    }

    public override string Scale => "log";
    public override double Min { get; }
    public override double Max { get; }
    public override IReadOnlyList<Tick> Ticks { get; }

    public override double Fraction(double value) => (Math.Log10(value) - _logMin) / (_logMax - _logMin);

    /// <summary>Bounds widened to whole decades around the values.</summary>
    public static LogAxis Fit(IReadOnlyCollection<double> finiteValues, string label, string what)
    {
        if (finiteValues.Count == 0) return new LogAxis(label, 1, 10);
        double smallest = finiteValues.Min();
        if (!(smallest > 0)) throw new ArgumentException($"{what} is logarithmic and needs positive values, got {smallest}");
        int low = (int)Math.Floor(Math.Log10(smallest) + 1e-9);
        int high = (int)Math.Ceiling(Math.Log10(finiteValues.Max()) - 1e-9);
        if (high <= low) high = low + 1;
        return new LogAxis(label, Math.Pow(10, low), Math.Pow(10, high));
    }

    /// <summary>"0.001" to "1000" as people write them; "1e-5", "1e6" beyond.</summary>
    private static string DecadeLabel(int k) => Math.Abs(k) <= 3
        ? Math.Pow(10, k).ToString("0.###", CultureInfo.InvariantCulture)
        : $"1e{k}";
}
