using Sparta.Charts;
using Sparta.Training;

namespace Sparta.Reports;

/// <summary>
/// The run's learning curves: one chart per quantity of the History (the loss, then each metric)
/// with its training and validation values per epoch, the learning rate when a schedule changed it,
/// and the loss of every batch.
/// </summary>
public static class LearningCurves
{
    public const string FileName = "learning_curves.svg";
    private const double ChartWidth = 560, ChartHeight = 340;

    // Logged per epoch but not a learning curve: the time of each epoch.
    private static readonly HashSet<string> NotCurves = ["epoch_seconds", "learning_rate"];

    /// <summary>Each quantity's chart: series "training" (key) and "validation" (val_key), x = epoch.</summary>
    public static IReadOnlyList<XYChart> PerEpoch(History history)
    {
        var charts = new List<XYChart>();
        foreach (string key in history.Keys)
        {
            string quantity = key.StartsWith("val_", StringComparison.Ordinal) ? key[4..] : key;
            if (NotCurves.Contains(quantity) || (quantity != key && history.Contains(quantity))) continue;
            var values = new[] { quantity, "val_" + quantity }.Where(history.Contains).SelectMany(k => history[k]);
            var chart = new XYChart(quantity, "epoch", quantity) { Width = ChartWidth, Height = ChartHeight, YScale = ScaleFor(values) };
            if (history.Contains(quantity)) chart.Line("training", Points(history, quantity));
            if (history.Contains("val_" + quantity)) chart.Line("validation", Points(history, "val_" + quantity), dashed: true);
            charts.Add(chart);
        }
        if (history.Contains("learning_rate") && history["learning_rate"].Where(double.IsFinite).Distinct().Count() > 1 && history["learning_rate"].All(r => !(r <= 0)))
            charts.Add(new XYChart("learning rate", "epoch", "learning rate") { Width = ChartWidth, Height = ChartHeight, YScale = AxisScale.Log }
                .Line("learning rate", Points(history, "learning_rate")));
        return charts;
    }

    /// <summary>The loss of every optimizer step: noisy, but it shows what an epoch average hides (spikes, a plateau).</summary>
    public static XYChart PerBatch(IReadOnlyList<BatchLoss> losses) =>
        new XYChart("loss per batch", "step", "loss") { Width = ChartWidth, Height = ChartHeight, YScale = ScaleFor(losses.Select(b => b.Loss)) }
            .Line("batch loss", losses.Select(b => ((double)b.Step, b.Loss)));

    /// <summary>
    /// Logarithmic when positive values span three decades or more (a diverging loss), so the start of
    /// the curve is not flattened against the axis; linear otherwise.
    /// </summary>
    public static AxisScale ScaleFor(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        return finite.Length > 0 && finite.Min() > 0 && finite.Max() / finite.Min() >= 1e3 ? AxisScale.Log : AxisScale.Linear;
    }

    /// <summary>All of them in one figure, two charts a row: the run directory's learning_curves.svg.</summary>
    public static ChartGrid Figure(History history, IReadOnlyList<BatchLoss> losses)
    {
        var grid = new ChartGrid("learning curves", columns: 2);
        foreach (var chart in PerEpoch(history)) grid.Add(chart);
        if (losses.Count > 0) grid.Add(PerBatch(losses));
        return grid;
    }

    private static IEnumerable<(double X, double Y)> Points(History history, string key) =>
        history.Epochs.Select((epoch, i) => ((double)epoch, history[key][i]));
}
