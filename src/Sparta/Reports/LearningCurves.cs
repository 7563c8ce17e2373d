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

    // Logged per epoch but not drawn as a training/validation pair: the time of each epoch, and the
    // learning rate, which gets a log-axis chart of its own when a schedule changed it.
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
            var chart = RunFigure.Chart(quantity, "epoch", quantity, ScaleFor(values));
            if (history.Contains(quantity)) chart.Line("training", Points(history, quantity));
            if (history.Contains("val_" + quantity)) chart.Line("validation", Points(history, "val_" + quantity), dashed: true);
            charts.Add(chart);
        }
        if (history.Contains("learning_rate") && history["learning_rate"].Where(double.IsFinite).Distinct().Count() > 1 && history["learning_rate"].All(r => !(r <= 0)))
            charts.Add(RunFigure.Chart("learning rate", "epoch", "learning rate", AxisScale.Log)
                .Line("learning rate", Points(history, "learning_rate")));
        return charts;
    }

    /// <summary>
    /// Above this many batches the per-batch loss is drawn as its envelope per pixel column (a run of
    /// 100 epochs of 422 batches would otherwise be a path of 42,200 points), spikes included.
    /// </summary>
    public const int MaxBatchPoints = 2000;

    /// <summary>The loss of every optimizer step: noisy, but it shows what an epoch average hides (spikes, a plateau).</summary>
    public static XYChart PerBatch(IReadOnlyList<BatchLoss> losses) =>
        RunFigure.Chart("loss per batch", "step", "loss", ScaleFor(losses.Select(b => b.Loss)))
            .Line("batch loss", losses.Select(b => ((double)b.Step, b.Loss)), maxPoints: MaxBatchPoints);

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
    public static ChartGrid Figure(History history, IReadOnlyList<BatchLoss> losses) =>
        RunFigure.Grid("learning curves", losses.Count > 0 ? [.. PerEpoch(history), PerBatch(losses)] : PerEpoch(history));

    private static IEnumerable<(double X, double Y)> Points(History history, string key) =>
        history.Epochs.Select((epoch, i) => ((double)epoch, history[key][i]));
}
