using Sparta.Diagnostics;

namespace Sparta.Dashboard;

/// <summary>A run's learning curves from its history.</summary>
internal static class RunCharts
{
    public static string LearningCurves(string run, IReadOnlyDictionary<string, double[]> history)
    {
        var chart = new SvgChart($"{run}: learning curves", "epoch", "value");
        var epochs = history["epochs"];
        foreach (var (key, values) in history.Where(h => h.Key.EndsWith("loss", StringComparison.Ordinal)))
            chart.Line(key, values.Select((v, i) => (epochs[i], v)).ToArray());
        return chart.ToSvg();
    }
}
