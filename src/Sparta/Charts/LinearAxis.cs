using System.Globalization;

namespace Sparta.Charts;

/// <summary>An evenly spaced axis with ticks at multiples of a <see cref="NiceStep"/>.</summary>
public sealed class LinearAxis : Axis
{
    private readonly double _step;

    public LinearAxis(string label, double min, double max) : base(label)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
            throw new ArgumentException($"linear axis '{label}': range must be finite with max > min, got [{min}, {max}]");
        Min = min;
        Max = max;
        _step = NiceStep.For(max - min);
        int decimals = NiceStep.Decimals(_step);
        var ticks = new List<Tick>();
        // Ticks are whole multiples of the step, computed from an index so no rounding error accumulates.
        for (long k = (long)Math.Ceiling(min / _step - 1e-9); k * _step <= max + 1e-9 * _step; k++)
        {
            double value = Math.Round(k * _step, Math.Min(15, decimals + 1));
            ticks.Add(new Tick(value, TickLabel(value, decimals)));
        }
        Ticks = ticks;
    }

    public override string Scale => "linear";
    public override double Min { get; }
    public override double Max { get; }
    public override IReadOnlyList<Tick> Ticks { get; }

    public override double Fraction(double value) => (value - Min) / (Max - Min);

    /// <summary>Bounds widened to the nearest ticks around the values; a single value gets a unit of room each side.</summary>
    public static LinearAxis Fit(IReadOnlyCollection<double> finiteValues, string label)
    {
        if (finiteValues.Count == 0) return new LinearAxis(label, 0, 1);
        double min = finiteValues.Min(), max = finiteValues.Max();
        if (max == min)
        {
            double room = min == 0 ? 1 : Math.Abs(min) * 0.5;
            (min, max) = (min - room, max + room);
        }
        double step = NiceStep.For(max - min);
        return new LinearAxis(label, Math.Floor(min / step + 1e-9) * step, Math.Ceiling(max / step - 1e-9) * step);
    }

    private static string TickLabel(double value, int decimals)
    {
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        return magnitude >= 1e6 || decimals > 6
            ? value.ToString("0.###e0", CultureInfo.InvariantCulture)
            : value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }
}
