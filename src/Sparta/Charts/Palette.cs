namespace Sparta.Charts;

/// <summary>Colours: distinct ones for series (Tableau 10), and a ramp for a value (viridis, dark = low).</summary>
public static class Palette
{
    private static readonly string[] Distinct =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    // Viridis sampled at nine evenly spaced points; values in between are interpolated.
    private static readonly (int R, int G, int B)[] Viridis =
        [(68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141), (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37)];

    public static string Series(int index) => Distinct[index % Distinct.Length];

    /// <summary>The ramp's colour at <paramref name="t"/> in [0, 1] (clamped).</summary>
    public static string Ramp(double t)
    {
        double position = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1) * (Viridis.Length - 1);
        int i = Math.Min((int)position, Viridis.Length - 2);
        double f = position - i;
        var (a, b) = (Viridis[i], Viridis[i + 1]);
        int Mix(int x, int y) => (int)Math.Round(x + (y - x) * f);
        return $"#{Mix(a.R, b.R):x2}{Mix(a.G, b.G):x2}{Mix(a.B, b.B):x2}";
    }
}
