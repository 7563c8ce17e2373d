using System.Globalization;
using Sparta.Reports;
using Sparta.Tuning.Output;

namespace Sparta.Tuning.Reports;

/// <summary>
/// A study's report as one self-contained HTML page: a summary, Optuna's plots (history,
/// intermediate values, parallel coordinates, slices, importance), the best configuration as an
/// experiment file when the study tuned one, and the table of all trials.
/// </summary>
public static class StudyReportPage
{
    /// <param name="bestExperiment">The best trial as an experiment file (YAML), or null when the study tuned something else.</param>
    public static string Render(StudyReportData data, string? bestExperiment)
    {
        var page = new HtmlPage($"Study {data.StudyName}");
        Summary(page.Section("summary", "Summary"), data);
        page.Section("history", "Optimization history").Chart(StudyCharts.History(data));
        var intermediate = page.Section("intermediate", "Intermediate values");
        if (data.Intermediates.Count > 0) intermediate.Chart(StudyCharts.IntermediateValues(data));
        else intermediate.Paragraph("No trial reported intermediate values.", "note");
        page.Section("parallel", "Parallel coordinates").Chart(StudyCharts.ParallelCoordinates(data));
        var slices = page.Section("slices", "Slices");
        foreach (var slice in data.Slices) slices.Chart(StudyCharts.Slice(slice, data.ValueName));
        if (data.Slices.Count == 0) slices.Paragraph("No trial is complete yet.", "note");
        var importance = page.Section("importance", "Parameter importance");
        if (data.Importance.Count > 0) importance.Chart(StudyCharts.Importance(data));
        else importance.Paragraph("Parameter importance needs at least two complete trials.", "note");
        if (bestExperiment is not null)
            page.Section("best-experiment", "Best configuration")
                .Paragraph($"Trial {data.Best!.Number} as an experiment file: save it as best.yaml and run sparta train best.yaml.")
                .Preformatted(bestExperiment, "best-experiment");
        Trials(page.Section("trials", "Trials"), data);
        return page.ToHtml();
    }

    private static void Summary(HtmlSection section, StudyReportData data)
    {
        var counts = data.Trials.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {StateName.Of(g.Key)}");
        section.Paragraph($"{data.Trials.Count} trials ({string.Join(", ", counts)}); {data.ValueName} is {(data.Direction == StudyDirection.Maximize ? "maximized" : "minimized")}.");
        section.Paragraph(data.Best is null ? "No trial is complete yet." : TrialLine.Best(data.Best));
    }

    /// <summary>One row per trial: its number, state, value, every parameter of the study, duration and what stopped it.</summary>
    private static void Trials(HtmlSection section, StudyReportData data)
    {
        var names = ParameterAxis.Of(data.Trials).Select(a => a.Name).ToList();
        var headers = new[] { "trial", "state", data.ValueName }.Concat(names).Concat(["duration", "note"]).ToList();
        section.Table(headers, data.Trials.Select(t => new HtmlRow(
            new[] { t.Number.ToString(CultureInfo.InvariantCulture), StateName.Of(t.State), t.Value is double v ? TrialLine.FormatValue(v) : "" }
                .Concat(names.Select(n => t.Params.TryGetValue(n, out var p) ? TrialLine.FormatValue(p) : ""))
                .Concat([Duration(t), Note(t)]).ToList(),
            $"trial state-{StateName.Of(t.State)}",
            [("trial", t.Number.ToString(CultureInfo.InvariantCulture))])));
    }

    private static string Duration(FrozenTrial trial) =>
        trial.Duration is TimeSpan d ? d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "";

    private static string Note(FrozenTrial trial) => trial.State switch
    {
        TrialState.Pruned when trial.LastStep is int step => $"pruned after step {step}",
        TrialState.Fail => trial.SystemAttrs.TryGetValue(TrialSystemAttrs.FailReason, out var json) ? AttrJson.ReadText(json) : "failed",
        _ => "",
    };
}
