using Sparta.Charts;
using Sparta.Diagnostics;

namespace Sparta.Reports;

/// <summary>
/// What a run recorded about its insides (<see cref="RunDiagnostics"/>), drawn as the slides draw
/// it: each layer's activation mean and std per inspection, the saturated and dead fractions, the
/// histograms of the last inspection, and each kernel's update ratio per epoch on a log axis with
/// the healthy band (1e-3 to 1e-2) shaded.
/// </summary>
public static class DiagnosticsCharts
{
    public const string FileName = "diagnostics.svg";
    private const double ChartWidth = 560, ChartHeight = 340;

    public static IReadOnlyList<Chart> All(RunDiagnostics diagnostics)
    {
        var charts = new List<Chart>();
        if (diagnostics.Activations.Count > 0)
        {
            charts.Add(PerLayer(diagnostics, "activation mean", l => l.Mean));
            charts.Add(PerLayer(diagnostics, "activation std", l => l.Std));
            charts.Add(SaturatedAndDead(diagnostics));
            charts.AddRange(LastHistograms(diagnostics));
        }
        if (diagnostics.Updates.Count > 0) charts.Add(UpdateRatios(diagnostics));
        return charts;
    }

    /// <summary>All of them in one figure, two a row.</summary>
    public static ChartGrid Figure(RunDiagnostics diagnostics)
    {
        var grid = new ChartGrid("diagnostics", columns: 2);
        foreach (var chart in All(diagnostics)) grid.Add(chart);
        return grid;
    }

    /// <summary>One line per layer: a statistic at each inspection (epoch 0 is before training).</summary>
    public static XYChart PerLayer(RunDiagnostics diagnostics, string title, Func<LayerActivation, double> statistic)
    {
        var chart = new XYChart(title, "epoch", title) { Width = ChartWidth, Height = ChartHeight };
        foreach (string layer in LayerNames(diagnostics))
            chart.Line(layer, diagnostics.Activations.SelectMany(i => i.Layers.Where(l => l.Layer == layer).Select(l => ((double)i.Epoch, statistic(l)))));
        return chart;
    }

    /// <summary>Saturated fractions of tanh/sigmoid layers and dead fractions of ReLU layers, each on [0, 1].</summary>
    public static XYChart SaturatedAndDead(RunDiagnostics diagnostics)
    {
        var chart = new XYChart("saturated and dead units", "epoch", "fraction") { Width = ChartWidth, Height = ChartHeight, YRange = (0, 1) };
        foreach (string layer in LayerNames(diagnostics))
        {
            var records = diagnostics.Activations.SelectMany(i => i.Layers.Where(l => l.Layer == layer).Select(l => (i.Epoch, Layer: l))).ToArray();
            string activation = records[0].Layer.Activation;
            if (ActivationStatistics.Saturates(activation))
                chart.Line($"{layer} saturated", records.Select(r => ((double)r.Epoch, r.Layer.Saturated)));
            else if (ActivationStatistics.CanDie(activation))
                chart.Line($"{layer} dead", records.Select(r => ((double)r.Epoch, r.Layer.Dead)), dashed: true);
        }
        return chart;
    }

    /// <summary>Each layer's output histogram at the last inspection.</summary>
    public static IReadOnlyList<XYChart> LastHistograms(RunDiagnostics diagnostics)
    {
        var last = diagnostics.Activations[^1];
        return last.Layers.Select(l => new XYChart($"{l.Layer} ({l.Activation}) at epoch {last.Epoch}", "output", "count") { Width = ChartWidth, Height = ChartHeight }
            .Histogram(l.Layer, l.Histogram.Low, l.Histogram.High, l.Histogram.Counts.Select(c => (double)c))).ToArray();
    }

    /// <summary>
    /// ||ΔW||/||W|| of each kernel (the slides' W; every parameter when none is named so) per epoch. A
    /// ratio of exactly zero (a parameter that never moved) has no place on a log axis and is left out, like NaN.
    /// </summary>
    public static XYChart UpdateRatios(RunDiagnostics diagnostics)
    {
        var chart = new XYChart("update ratio ||ΔW|| / ||W||", "epoch", "update ratio") { Width = ChartWidth, Height = ChartHeight, YScale = AxisScale.Log };
        var names = diagnostics.Updates.SelectMany(e => e.Parameters.Select(p => p.Parameter)).Distinct().ToArray();
        var kernels = names.Where(n => n.EndsWith("/kernel", StringComparison.Ordinal)).ToArray();
        foreach (string parameter in kernels.Length > 0 ? kernels : names)
            chart.Line(parameter, diagnostics.Updates.SelectMany(e => e.Parameters.Where(p => p.Parameter == parameter)
                .Select(p => ((double)e.Epoch, p.UpdateRatio > 0 ? p.UpdateRatio : double.NaN))));
        return chart.Band(UpdateRatioMonitor.HealthyLow, UpdateRatioMonitor.HealthyHigh, "healthy");
    }

    private static IEnumerable<string> LayerNames(RunDiagnostics diagnostics) =>
        diagnostics.Activations.SelectMany(i => i.Layers.Select(l => l.Layer)).Distinct();
}
