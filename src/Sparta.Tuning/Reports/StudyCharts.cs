using Sparta.Charts;

namespace Sparta.Tuning.Reports;

/// <summary>Optuna's study plots, drawn from <see cref="StudyReportData"/> with the chart module.</summary>
public static class StudyCharts
{
    /// <summary>
    /// Above this many points a scatter series is drawn binned (a mark per occupied cell, carrying its
    /// count), so a study of any size gives a figure a browser lays out at once.
    /// </summary>
    public const int MaxPoints = 1000;

    /// <summary>The most trials drawn as a line each (intermediate values, parallel coordinates); <see cref="TrialSample"/> picks them.</summary>
    public const int MaxIntermediateLines = 100, MaxParallelLines = 300;

    public static XYChart History(StudyReportData data) => History(data.History, data.ValueName);

    /// <summary>The history alone, for a live view that redraws it without computing the whole report's data.</summary>
    public static XYChart History(IReadOnlyList<HistoryPoint> history, string valueName)
    {
        bool large = history.Count > MaxPoints;
        return new XYChart("Optimization history", "trial", valueName) { Note = large ? BinnedNote(history.Count) : null }
            .Scatter(valueName, history.Select(p => new ScatterPoint(p.Number, p.Value, Trial: p.Number)), MaxPoints)
            .Line("best so far", (large ? Corners(history) : history).Select(p => ((double)p.Number, p.BestSoFar)), markers: false);
    }

    private static string BinnedNote(int count) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count:N0} trials: nearby points drawn as one, larger the more it holds");

    /// <summary>
    /// The points where the best-so-far line turns: the first and last, and each point whose best
    /// differs from the one before or after it. The line through them is the line through every
    /// point (the points left out lie on flat stretches between two kept points of the same best).
    /// </summary>
    public static IReadOnlyList<HistoryPoint> Corners(IReadOnlyList<HistoryPoint> history) =>
        history.Where((p, i) => i == 0 || i == history.Count - 1
            || history[i - 1].BestSoFar != p.BestSoFar || history[i + 1].BestSoFar != p.BestSoFar).ToArray();

    public static ParallelCoordinatesChart ParallelCoordinates(StudyReportData data) => ParallelCoordinates(data.Parallel, data.ValueName, data.Direction);

    /// <param name="direction">Which trials are the best, drawn first of all when the study has more than <see cref="MaxParallelLines"/>.</param>
    public static ParallelCoordinatesChart ParallelCoordinates(ParallelCoordinatesData parallel, string valueName, StudyDirection direction)
    {
        var lines = TrialSample.Of(parallel.Lines, MaxParallelLines, l => l.Value, direction);
        // Parameter names are long paths (model.layers.1.units): room for each above its axis.
        var chart = new ParallelCoordinatesChart("Parallel coordinates", valueName)
        {
            Width = Math.Max(760, 190 * (parallel.Axes.Count + 1)),
            Note = lines.Count < parallel.Lines.Count ? TrialSample.Note(lines.Count, parallel.Lines.Count, "lines") : null,
        };
        foreach (var axis in parallel.Axes)
            if (axis.Choices is { } choices) chart.Categorical(axis.Name, choices);
            else chart.Numeric(axis.Name, axis.Log ? AxisScale.Log : AxisScale.Linear);
        foreach (var line in lines) chart.Trial(line.Number, line.Value, line.Positions.ToArray());
        return chart;
    }

    /// <summary>
    /// A parameter's slice over its whole range (log axis for a log range), so a best value at the
    /// edge of the range shows. The one series has no legend: the axes say it all.
    /// </summary>
    public static XYChart Slice(SliceSeries slice, string valueName)
    {
        var axis = slice.Axis;
        var chart = new XYChart($"Slice: {axis.Name}", axis.Name, valueName)
        {
            Width = 420,
            Height = 300,
            XScale = axis.Log ? AxisScale.Log : AxisScale.Linear,
            XCategories = axis.Choices,
            XRange = axis.IsCategorical || !(axis.High > axis.Low) ? null : Padded(axis),
            Note = slice.Points.Count > MaxPoints ? BinnedNote(slice.Points.Count) : null,
        };
        return chart.Scatter("", slice.Points.Select(p => new ScatterPoint(p.X, p.Value, Trial: p.Number,
            Tooltip: $"trial {p.Number}: {axis.Name}={(axis.Choices is { } c ? c[(int)p.X] : SvgWriter.Short(p.X))}, {valueName}={SvgWriter.Short(p.Value)}")), MaxPoints);
    }

    /// <summary>The range with 3% of its span (in log space for a log axis) on each side, so points on its ends are drawn whole.</summary>
    private static (double, double) Padded(ParameterAxis axis)
    {
        if (axis.Log)
        {
            double factor = Math.Pow(axis.High / axis.Low, 0.03);
            return (axis.Low / factor, axis.High * factor);
        }
        double margin = 0.03 * (axis.High - axis.Low);
        return (axis.Low - margin, axis.High + margin);
    }

    public static BarChart Importance(StudyReportData data) => Importance(data.Importance, data.ValueName);

    /// <param name="title">The chart's title; a live view says there when the importance shown is not yet the current trials'.</param>
    public static BarChart Importance(IReadOnlyList<(string Name, double Importance)> importance, string valueName, string title = "Parameter importance")
    {
        var chart = new BarChart(title, "share of the variance of " + valueName + " (fANOVA)");
        foreach (var (name, share) in importance) chart.Bar(name, share);
        return chart;
    }

    /// <summary>
    /// Each trial's reported values by step, one line per trial, and the last report of each trial
    /// as a point in the trial's state: the pruned trials show where the pruner stopped them.
    /// </summary>
    public static XYChart IntermediateValues(StudyReportData data) => IntermediateValues(data.Intermediates, data.ValueName, data.Direction);

    /// <param name="direction">
    /// Which curves are the best (by their last report), drawn first of all when more than
    /// <see cref="MaxIntermediateLines"/> trials reported; every last report is drawn still (binned when many).
    /// </param>
    public static XYChart IntermediateValues(IReadOnlyList<IntermediateSeries> intermediates, string valueName, StudyDirection direction)
    {
        var curves = TrialSample.Of(intermediates, MaxIntermediateLines, s => s.Points[^1].Value, direction);
        var chart = new XYChart("Intermediate values", "step", valueName)
        {
            Note = curves.Count < intermediates.Count ? TrialSample.Note(curves.Count, intermediates.Count, "curves") : null,
        };
        // Unnamed lines stay out of the legend, which could not list every trial of a long study.
        foreach (var series in curves)
            chart.Line("", series.Points.Select(p => ((double)p.Step, p.Value)), markers: false);
        return chart.Scatter("last report", intermediates.Select(s => new ScatterPoint(s.Points[^1].Step, s.Points[^1].Value, StateName.Of(s.State), s.Number)), MaxPoints);
    }

    /// <summary>Every parameter's slice in one figure, two a row.</summary>
    public static ChartGrid Slices(IReadOnlyList<SliceSeries> slices, string valueName)
    {
        var grid = new ChartGrid("Slices", columns: 2);
        foreach (var slice in slices) grid.Add(Slice(slice, valueName));
        return grid;
    }

    /// <summary>
    /// The first two objectives of every complete trial against each other, the trials on the Pareto
    /// front in a series of their own (joined in order of the first objective), as Optuna's plot.
    /// </summary>
    public static XYChart Pareto(IReadOnlyList<ParetoPoint> points, IReadOnlyList<string> objectiveNames)
    {
        var front = points.Where(p => p.OnFront).OrderBy(p => p.Values[0]).ToArray();
        ScatterPoint Point(ParetoPoint p) => new(p.Values[0], p.Values[1], Trial: p.Number);
        return new XYChart("Pareto front", objectiveNames[0], objectiveNames[1])
            .Scatter("dominated", points.Where(p => !p.OnFront).Select(Point), MaxPoints)
            .Scatter("Pareto front", front.Select(Point))
            .Line("", front.Select(p => (p.Values[0], p.Values[1])), markers: false, dashed: true);
    }
}
