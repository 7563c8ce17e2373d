using Sparta.Charts;
using Sparta.Training;

namespace Sparta.Reports;

/// <summary>What the runs compared share on their x axis: the epoch, or the training time so far (seconds).</summary>
public enum OverlayAxis { Epoch, Time }

/// <summary>
/// Several runs on one chart per logged quantity, as TensorBoard overlays them: one line per run
/// (named after it), smoothed when asked, against the epoch or against the seconds of training
/// up to the end of each epoch (the sum of the History's <c>epoch_seconds</c>).
/// </summary>
public static class RunOverlay
{
    /// <summary>The keys worth a chart: every key of any run, in first-logged order, but the time of each epoch (it is the time axis).</summary>
    public static IReadOnlyList<string> Keys(IEnumerable<History> histories) =>
        histories.SelectMany(h => h.Keys).Distinct().Where(k => k != TimeKey).ToArray();

    public static XYChart Chart(IReadOnlyList<(string Name, History History)> runs, string key, double smoothing = 0, OverlayAxis x = OverlayAxis.Epoch)
    {
        string xLabel = x == OverlayAxis.Epoch ? "epoch" : "training time (s)";
        var withKey = runs.Where(r => r.History.Contains(key)).ToArray();
        var chart = RunFigure.Chart(key, xLabel, key, LearningCurves.ScaleFor(withKey.SelectMany(r => r.History[key])));
        foreach (var (name, history) in runs)
        {
            // Every run keeps its colour on every chart, whether or not it logged this key.
            var points = history.Contains(key) ? Points(history, key, smoothing, x) : [];
            chart.Line(name, points, markers: false);
        }
        return chart;
    }

    /// <summary>The x of each epoch: its number, or the seconds trained when it ended (NaN once a time is missing).</summary>
    public static double[] XValues(History history, OverlayAxis x)
    {
        if (x == OverlayAxis.Epoch) return history.Epochs.Select(e => (double)e).ToArray();
        if (!history.Contains(TimeKey)) return history.Epochs.Select(_ => double.NaN).ToArray();
        var seconds = history[TimeKey];
        var elapsed = new double[seconds.Count];
        double sum = 0;
        for (int i = 0; i < seconds.Count; i++) elapsed[i] = sum += seconds[i];
        return elapsed;
    }

    private const string TimeKey = "epoch_seconds";

    private static (double X, double Y)[] Points(History history, string key, double smoothing, OverlayAxis x)
    {
        var ys = smoothing > 0 ? Smoothing.Exponential(history[key], smoothing) : history[key].ToArray();
        return XValues(history, x).Zip(ys).ToArray();
    }
}
