using System.Globalization;
using System.Xml.Linq;
using Sparta.Charts;
using Sparta.Tuning.Reports;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Tests.Reports;

/// <summary>
/// A study larger than the charts draw mark by mark: each chart stays bounded, and what it draws is
/// checked against the objective's own record (binned counts add up to the trials, the best-so-far
/// line equals a running minimum computed here, the sampled lines include the best trials).
/// </summary>
public sealed class LargeStudyChartsTests
{
    private const int Trials = 4000;

    private sealed record Seen(int Number, double Lr, int Units, string State, double Value, double[] Reports);

    private static readonly (Study Study, List<Seen> Seen) Built = Build();

    private static (Study, List<Seen>) Build()
    {
        var seen = new List<Seen>();
        var study = Study.Create("large", StudyDirection.Minimize, new InMemoryStorage(), new RandomSampler(5), seed: 5);
        study.Optimize(trial =>
        {
            double lr = trial.SuggestFloat("lr", 1e-5, 1, log: true);
            int units = trial.SuggestInt("units", 16, 512);
            double value = Math.Abs(Math.Log10(lr) + 3) + 100.0 / units;
            var reports = new List<double>();
            for (int step = 0; step < 4; step++)
            {
                reports.Add(value + 1.0 / (step + 1));
                trial.Report(reports[^1], step);
                if (trial.Number % 7 == 6 && step == 1)
                {
                    seen.Add(new Seen(trial.Number, lr, units, "pruned", reports[^1], [.. reports]));
                    throw new TrialPruned("pruned");
                }
            }
            seen.Add(new Seen(trial.Number, lr, units, "complete", value, [.. reports]));
            return value;
        }, Trials);
        return (study, seen);
    }

    private static List<Seen> Complete => Built.Seen.Where(s => s.State == "complete").OrderBy(s => s.Number).ToList();

    private static XElement Svg(Chart chart) => XElement.Parse(chart.ToSvg());

    private static IEnumerable<XElement> Marks(XElement svg, string kind) =>
        svg.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ') is { } c && c.Contains("mark") && c.Contains(kind));

    private static double Number(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static double[] Numbers(XElement e, string attribute) =>
        ((string)e.Attribute(attribute)!).Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    private static int Count(XElement mark) => (int)Number(mark, "data-count");

    /// <summary>At most one mark per cell of the plot, whatever the number of points.</summary>
    private static int Cells(XElement svg)
    {
        var area = svg.Descendants().First(e => (string?)e.Attribute("class") == "plot-area");
        return (int)((Number(area, "width") / ScatterSeries.CellPx + 1) * (Number(area, "height") / ScatterSeries.CellPx + 1));
    }

    [Fact]
    public void History_bins_its_points_into_counts_that_add_up_to_the_complete_trials_and_draws_the_best_so_far_exactly()
    {
        var svg = Svg(StudyCharts.History(StudyReportData.Of(Built.Study)));
        var points = Marks(svg, "point").ToList();
        Assert.True(points.Count < Complete.Count / 2, $"{points.Count} marks for {Complete.Count} trials");
        Assert.True(points.Count <= Cells(svg));
        Assert.Equal(Complete.Count, points.Sum(Count));
        // Each mark stands at a real trial's place, the first of its cell.
        var byNumber = Complete.ToDictionary(s => s.Number);
        foreach (var p in points) Assert.Equal(byNumber[(int)Number(p, "data-trial")].Value, Number(p, "data-y"));
        Assert.Contains(Complete.Count.ToString("N0", CultureInfo.InvariantCulture) + " trials", (string)svg.Descendants().Single(e => (string?)e.Attribute("class") == "note"));

        // The line through its corners, read at each trial, is the running minimum computed here.
        var line = Marks(svg, "line").Single(l => (string?)l.Attribute("data-series") == "best so far");
        double[] xs = Numbers(line, "data-x"), ys = Numbers(line, "data-y");
        Assert.True(xs.Length < 200, $"{xs.Length} corners");
        double best = double.PositiveInfinity;
        foreach (var s in Complete)
        {
            best = Math.Min(best, s.Value);
            int right = Array.FindIndex(xs, x => x >= s.Number);
            double at = xs[right] == s.Number ? ys[right] : ys[right - 1] + (ys[right] - ys[right - 1]) * (s.Number - xs[right - 1]) / (xs[right] - xs[right - 1]);
            Assert.Equal(best, at);
        }
    }

    [Fact]
    public void Slices_bin_each_parameter_into_counts_that_add_up_to_the_complete_trials()
    {
        var svg = Svg(StudyCharts.Slices(StudyReportData.Of(Built.Study).Slices, "value"));
        var charts = svg.Elements().Where(e => (string?)e.Attribute("class") == "chart").ToList();
        Assert.Equal(["Slice: lr", "Slice: units"], charts.Select(c => (string)c.Attribute("data-title")!).Order());
        foreach (var chart in charts)
        {
            var points = Marks(chart, "point").ToList();
            Assert.True(points.Count <= Cells(chart) && points.Count < Complete.Count / 2, $"{points.Count} marks");
            Assert.Equal(Complete.Count, points.Sum(Count));
        }
        var lr = Marks(charts.Single(c => (string)c.Attribute("data-title")! == "Slice: lr"), "point");
        var byNumber = Complete.ToDictionary(s => s.Number);
        foreach (var p in lr) Assert.Equal(byNumber[(int)Number(p, "data-trial")].Lr, Number(p, "data-x"));
    }

    [Fact]
    public void Parallel_coordinates_draw_the_best_trials_and_others_spread_over_the_study_up_to_the_cap()
    {
        var svg = Svg(StudyCharts.ParallelCoordinates(StudyReportData.Of(Built.Study)));
        var lines = Marks(svg, "trial").ToList();
        Assert.Equal(StudyCharts.MaxParallelLines, lines.Count);
        var drawn = lines.Select(l => (int)Number(l, "data-trial")).ToList();
        Assert.Equal(drawn.Order(), drawn);
        var best = Complete.OrderBy(s => s.Value).ThenBy(s => s.Number).Take(StudyCharts.MaxParallelLines / 5).Select(s => s.Number);
        Assert.Subset(drawn.ToHashSet(), best.ToHashSet());
        // The others reach across the study, not only its start.
        Assert.True(drawn.Max() > Trials * 0.95 && drawn.Min() < Trials * 0.05);
        var byNumber = Complete.ToDictionary(s => s.Number);
        foreach (var l in lines) Assert.Equal(byNumber[(int)Number(l, "data-trial")].Value, Number(l, "data-objective"));
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"lines of {lines.Count:N0} of {Complete.Count:N0} trials: the {lines.Count / 5} best and the others spread evenly over the study"),
            (string)svg.Descendants().Single(e => (string?)e.Attribute("class") == "note"));
    }

    [Fact]
    public void Intermediate_values_draw_capped_curves_and_bin_every_last_report()
    {
        var svg = Svg(StudyCharts.IntermediateValues(StudyReportData.Of(Built.Study)));
        var curves = Marks(svg, "line").ToList();
        Assert.Equal(StudyCharts.MaxIntermediateLines, curves.Count);
        var reports = Built.Seen.Select(s => string.Join(' ', s.Reports)).ToHashSet();
        Assert.All(curves, c => Assert.Contains(string.Join(' ', Numbers(c, "data-y")), reports));
        var last = Marks(svg, "point").ToList();
        Assert.Equal(Built.Seen.Count, last.Sum(Count));
        Assert.Equal(Built.Seen.Count(s => s.State == "pruned"), last.Where(p => (string?)p.Attribute("data-state") == "pruned").Sum(Count));
    }

    [Fact]
    public void A_small_study_keeps_a_mark_per_trial()
    {
        var small = Complete.Take(50).ToList();
        var history = small.Select((s, i) => new HistoryPoint(s.Number, s.Value, small.Take(i + 1).Min(x => x.Value))).ToList();
        var svg = Svg(StudyCharts.History(history, "value"));
        Assert.Equal(small.Select(s => (double)s.Number), Marks(svg, "point").Select(p => Number(p, "data-x")));
        Assert.All(Marks(svg, "point"), p => Assert.Null(p.Attribute("data-count")));
        Assert.Equal(small.Count, Numbers(Marks(svg, "line").Single(), "data-x").Length);
    }

    [Fact]
    public void A_sample_keeps_every_item_when_they_fit_and_refuses_an_empty_budget()
    {
        int[] items = [5, 3, 9];
        Assert.Same(items, TrialSample.Of(items, 3, i => i, StudyDirection.Minimize));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrialSample.Of(items, 0, i => i, StudyDirection.Minimize));
        // Of ten values kept five: the best (maximized: 9) and others spread, in their order.
        var sample = TrialSample.Of(Enumerable.Range(0, 10).ToArray(), 5, i => i, StudyDirection.Maximize);
        Assert.Equal(5, sample.Count);
        Assert.Contains(9, sample);
        Assert.Equal(sample.Order(), sample);
    }
}
