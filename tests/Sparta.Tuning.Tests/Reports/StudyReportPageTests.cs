using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sparta.Tuning.Reports;

namespace Sparta.Tuning.Tests.Reports;

/// <summary>
/// The report's charts read back from the HTML: every mark's data-* attributes are compared with
/// what the objective saw (<see cref="ReportStudy"/>), computed here without the report's code.
/// </summary>
public sealed class StudyReportPageTests
{
    private static readonly (Study Study, List<ReportStudy.Seen> Seen) Built = ReportStudy.Build();
    private static readonly string Html = StudyReportPage.Render(StudyReportData.Of(Built.Study), bestExperiment: null);
    private static List<ReportStudy.Seen> Complete => Built.Seen.Where(s => s.Outcome == "complete").OrderBy(s => s.Number).ToList();

    /// <summary>The charts of the page by title, each parsed as the SVG document it is.</summary>
    private static Dictionary<string, XElement> Charts(string html) =>
        Regex.Matches(html, "<div class=\"figure\">\n(<svg .*?</svg>)\n?</div>", RegexOptions.Singleline)
            .Select(m => XElement.Parse(m.Groups[1].Value))
            .ToDictionary(svg => (string)svg.Attribute("data-title")!);

    private static IEnumerable<XElement> Marks(XElement svg, string kind) =>
        svg.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ') is { } c && c.Contains("mark") && c.Contains(kind));

    private static double Number(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static double[] Numbers(XElement e, string attribute) =>
        ((string)e.Attribute(attribute)!).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    private static XElement PlotArea(XElement svg) => svg.Descendants().First(e => (string?)e.Attribute("class") == "plot-area");

    [Fact]
    public void History_points_are_the_trial_values_in_order_and_the_best_line_is_the_running_minimum()
    {
        var chart = Charts(Html)["Optimization history"];
        var points = Marks(chart, "point").Where(p => (string?)p.Attribute("data-state") == "complete").ToList();
        Assert.Equal(Complete.Select(s => (double)s.Number), points.Select(p => Number(p, "data-x")));
        Assert.Equal(Complete.Select(s => s.Value), points.Select(p => Number(p, "data-y")));

        var best = Marks(chart, "line").Single(l => (string?)l.Attribute("data-series") == "best so far");
        var runningMin = new List<double>();
        foreach (var s in Complete) runningMin.Add(runningMin.Count == 0 ? s.Value : Math.Min(runningMin[^1], s.Value));
        Assert.Equal(runningMin, Numbers(best, "data-y"));
        Assert.Equal(Complete.Select(s => (double)s.Number), Numbers(best, "data-x"));
    }

    [Fact]
    public void Slices_of_log_ranges_use_log_axes_over_the_whole_range()
    {
        var charts = Charts(Html);
        var lr = charts["Slice: lr"];
        Assert.Equal("log", (string?)PlotArea(lr).Attribute("data-x-scale"));
        // The whole range, 1e-4 to 1, with a small margin.
        Assert.InRange(Number(PlotArea(lr), "data-x-min"), 0.7e-4, 1e-4);
        Assert.InRange(Number(PlotArea(lr), "data-x-max"), 1.0, 1.4);
        Assert.Equal(Complete.Select(s => (s.Lr, s.Value)), Marks(lr, "point").Select(p => (Number(p, "data-x"), Number(p, "data-y"))));

        var units = charts["Slice: units"];
        Assert.Equal("linear", (string?)PlotArea(units).Attribute("data-x-scale"));
        Assert.Equal(Complete.Select(s => (double)s.Units), Marks(units, "point").Select(p => Number(p, "data-x")));

        var activation = charts["Slice: activation"];
        Assert.Equal("category", (string?)PlotArea(activation).Attribute("data-x-scale"));
        Assert.Equal(Complete.Select(s => s.Activation == "relu" ? 0.0 : 1.0), Marks(activation, "point").Select(p => Number(p, "data-x")));
    }

    [Fact]
    public void Intermediate_values_draw_every_report_and_mark_pruned_trials_where_they_stopped()
    {
        var chart = Charts(Html)["Intermediate values"];
        var drawn = Marks(chart, "line").Select(l => string.Join(" ", Numbers(l, "data-y"))).Order().ToList();
        Assert.Equal(Built.Seen.Select(s => string.Join(" ", s.Reports)).Order(), drawn);

        var pruned = Marks(chart, "point").Where(p => (string?)p.Attribute("data-state") == "pruned").ToList();
        var expected = Built.Seen.Where(s => s.Outcome == "pruned").OrderBy(s => s.Number).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Select(s => (s.Number, s.Reports.Count - 1.0, s.Reports[^1])),
            pruned.Select(p => ((int)Number(p, "data-trial"), Number(p, "data-x"), Number(p, "data-y"))));
        Assert.All(pruned, p => Assert.Contains("state-pruned", (string)p.Attribute("class")!));
        Assert.Equal(Built.Seen.Count(s => s.Outcome == "failed"), Marks(chart, "point").Count(p => (string?)p.Attribute("data-state") == "failed"));
    }

    [Fact]
    public void Parallel_coordinates_draw_each_complete_trial_across_its_parameters()
    {
        var chart = Charts(Html)["Parallel coordinates"];
        var lines = Marks(chart, "trial").ToList();
        Assert.Equal(Complete.Select(s => s.Number), lines.Select(l => (int)Number(l, "data-trial")));
        Assert.Equal(Complete.Select(s => new[] { s.Lr, s.Units, s.Activation == "relu" ? 0 : 1 }), lines.Select(l => Numbers(l, "data-values")));
        Assert.Equal(Complete.Select(s => s.Value), lines.Select(l => Number(l, "data-objective")));
        var lrAxis = chart.Descendants().Single(e => (string?)e.Attribute("class") == "pc-axis" && (string?)e.Attribute("data-name") == "lr");
        Assert.Equal("log", (string?)lrAxis.Attribute("data-scale"));
    }

    [Fact]
    public void Importance_bars_show_each_parameter_share()
    {
        var data = StudyReportData.Of(Built.Study);
        var bars = Marks(Charts(Html)["Parameter importance"], "bar").ToList();
        Assert.Equal(data.Importance.Select(p => (p.Name, p.Importance)), bars.Select(b => ((string)b.Attribute("data-category")!, Number(b, "data-value"))));
        Assert.Equal(1.0, bars.Sum(b => Number(b, "data-value")), 1e-9);
    }

    [Fact]
    public void The_page_needs_no_network_and_lists_every_trial()
    {
        Assert.DoesNotMatch("<script|<link|<img|<iframe|src=|url\\(", Html);
        Assert.Empty(Regex.Matches(Html, "https?://[^\"]*").Select(m => m.Value).Where(u => u != "http://www.w3.org/2000/svg"));
        var rows = Regex.Matches(Html, "<tr class=\"trial state-(\\w+)\" data-trial=\"(\\d+)\">").Select(m => (int.Parse(m.Groups[2].Value), m.Groups[1].Value));
        Assert.Equal(Built.Seen.OrderBy(s => s.Number).Select(s => (s.Number, s.Outcome)), rows);
    }

    [Fact]
    public void A_study_with_nothing_complete_still_renders_and_says_so()
    {
        var study = Study.Create();
        var trial = study.Ask();
        trial.SuggestFloat("x", 0, 1);
        trial.Report(0.5, 0);
        study.Tell(trial, TrialState.Pruned);
        string html = StudyReportPage.Render(StudyReportData.Of(study), null);
        Assert.Contains("No trial is complete yet.", html);
        Assert.Contains("Parameter importance needs at least two complete trials.", html);
        Assert.Single(Marks(Charts(html)["Intermediate values"], "point"), p => (string?)p.Attribute("data-state") == "pruned");
    }
}
