using Sparta.Charts;

namespace Sparta.Dashboard;

/// <summary>A run's learning curves from its history: one chart per logged quantity, training and validation side by side.</summary>
internal static class RunCharts
{
    public static string LearningCurves(string run, IReadOnlyDictionary<string, double[]> history)
    {
        var epochs = history.GetValueOrDefault("epochs") ?? [];
        var grid = new ChartGrid($"{run}: learning curves", columns: 2);
        // Seconds per epoch measure the machine, not the learning.
        foreach (string key in history.Keys.Where(k => k is not ("epochs" or "epoch_seconds") && !k.StartsWith("val_", StringComparison.Ordinal)))
        {
            var chart = new XYChart(key, "epoch", key) { Width = 480, Height = 300 }.Line(key, Pairs(epochs, history[key]));
            if (history.TryGetValue("val_" + key, out var validation)) chart.Line("val_" + key, Pairs(epochs, validation), dashed: true);
            grid.Add(chart);
        }
        return grid.ToSvg();
    }

    private static IEnumerable<(double, double)> Pairs(double[] epochs, double[] values) => epochs.Zip(values);
}
