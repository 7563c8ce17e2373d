using System.Globalization;

namespace Sparta.Tuning.Pruners;

/// <summary>Pruners by the names the command line and experiment files use.</summary>
public static class PrunerCatalog
{
    public static readonly string[] Names = { "none", "median", "percentile:P", "successive-halving", "hyperband" };

    public static IPruner Create(string spec)
    {
        string[] parts = spec.Split(':', 2);
        return (parts[0], parts.Length) switch
        {
            ("none", 1) => new NopPruner(),
            ("median", 1) => new MedianPruner(),
            ("percentile", 2) when double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p >= 0 && p <= 100
                => new PercentilePruner(p),
            ("percentile", _) => throw new ArgumentException($"pruner: percentile needs a percentile in [0, 100], e.g. 'percentile:25', got '{spec}'"),
            ("successive-halving" or "asha", 1) => new SuccessiveHalvingPruner(),
            ("hyperband", 1) => new HyperbandPruner(),
            _ => throw new ArgumentException($"pruner: unknown pruner '{spec}' (known: {string.Join(", ", Names)})"),
        };
    }
}
