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
        if (data.IsMultiObjective) Pareto(page.Section("pareto", "Pareto front"), data);
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
        else importance.Paragraph(data.History.Count < 2 ? "Parameter importance needs at least two complete trials."
            : "No parameter is in every complete trial: importance rates only the parameters all of them share.", "note");
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
        var goals = data.ObjectiveNames.Select((name, i) => $"{name} is {(data.Directions[i] == StudyDirection.Maximize ? "maximized" : "minimized")}");
        section.Paragraph($"{data.Trials.Count} trials ({string.Join(", ", counts)}); {string.Join(", ", goals)}.");
        if (data.IsMultiObjective)
            section.Paragraph($"{data.Pareto.Count(p => p.OnFront)} trials on the Pareto front (no other trial is as good on every objective and better on one).");
        else
            section.Paragraph(data.Best is null ? "No trial is complete yet." : TrialLine.Best(data.Best));
    }

    /// <summary>The first two objectives against each other, the front joined, and the front's trials listed.</summary>
    private static void Pareto(HtmlSection section, StudyReportData data)
    {
        if (data.Pareto.Count == 0)
        {
            section.Paragraph("No trial is complete yet.", "note");
            return;
        }
        section.Chart(StudyCharts.Pareto(data.Pareto, data.ObjectiveNames));
        var front = data.Trials.Where(t => data.Pareto.Any(p => p.OnFront && p.Number == t.Number)).ToList();
        section.List(TrialLine.ParetoFront(front, data.ObjectiveNames).Skip(1), "pareto-front");
    }

    /// <summary>One row per trial: its number, state, value, every parameter of the study, duration and what stopped it.</summary>
    private static void Trials(HtmlSection section, StudyReportData data)
    {
        var names = ParameterAxis.Of(data.Trials).Select(a => a.Name).ToList();
        var headers = new[] { "trial", "state" }.Concat(data.ObjectiveNames).Concat(names).Concat(["duration", "note"]).ToList();
        section.Table(headers, data.Trials.Select(t => new HtmlRow(
            new[] { t.Number.ToString(CultureInfo.InvariantCulture), StateName.Of(t.State) }
                .Concat(data.ObjectiveNames.Select((name, i) => t.Values is { } v && i < v.Count ? TrialLine.FormatMeasure(name, v[i]) : ""))
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
        TrialState.Complete when TrialConstraints.Of(trial) is { } c && !TrialConstraints.Feasible(c) =>
            $"infeasible (violation {TrialLine.FormatValue(TrialConstraints.Violation(c))})",
        TrialState.Fail => trial.SystemAttrs.TryGetValue(TrialSystemAttrs.FailReason, out var json) ? AttrJson.ReadText(json) : "failed",
        _ => "",
    };
}
