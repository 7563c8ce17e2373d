using System.Globalization;
using Sparta.Diagnostics;

namespace Sparta.Reports;

/// <summary>
/// One run as one self-contained page (report.html): the final scores, the doctor's findings, the
/// learning curves, the diagnostics charts and the experiment file, all read from the run directory's files.
/// </summary>
public static class RunReport
{
    public const string FileName = "report.html";

    public static string Html(RunFiles run)
    {
        var page = new HtmlPage($"Run {run.Name}");
        var result = page.Section("result", "Result");
        if (run.Result.Count == 0) result.Paragraph("No result.json in the run directory.", "note");
        else result.Table(["", "value"], run.Result.Select(r => (IReadOnlyList<string>)[r.Key, r.Value.ToString("G6", CultureInfo.InvariantCulture)]));

        var findings = Doctor.Diagnose(run.History, run.Diagnostics);
        var doctor = page.Section("findings", "Doctor's findings");
        if (findings.Count == 0) doctor.Paragraph(run.Diagnostics is null ? "No problem found in the learning curves." : "No problem found in the learning curves and diagnostics.");
        else doctor.List(findings.Select(f => f.ToString()), "findings");

        var curves = page.Section("curves", "Learning curves");
        foreach (var chart in LearningCurves.PerEpoch(run.History)) curves.Chart(chart);
        if (run.BatchLosses.Count > 0) curves.Chart(LearningCurves.PerBatch(run.BatchLosses));

        var inside = page.Section("diagnostics", "Diagnostics");
        var charts = run.Diagnostics is null ? [] : DiagnosticsCharts.All(run.Diagnostics);
        if (charts.Count == 0) inside.Paragraph($"The run recorded no activation statistics or update ratios ({RunDiagnostics.FileName}; the experiment's diagnostics key).", "note");
        foreach (var chart in charts) inside.Chart(chart);

        var experiment = page.Section("experiment", "Experiment file");
        if (run.ExperimentYaml is null) experiment.Paragraph("No experiment.yaml in the run directory.", "note");
        else experiment.Preformatted(run.ExperimentYaml);
        return page.ToHtml();
    }

    /// <summary>
    /// Writes learning_curves.svg, diagnostics.svg when the run recorded some (each with a PNG copy
    /// when a converter is available) and report.html into a run directory whose other files are
    /// written. <paramref name="name"/> titles the page when the directory is not yet at its final name.
    /// </summary>
    public static void WriteInto(string directory, string? name = null)
    {
        var run = RunFiles.Load(directory);
        if (name is not null) run = run with { Name = name };
        SaveWithPng(LearningCurves.Figure(run.History, run.BatchLosses), Path.Combine(directory, LearningCurves.FileName));
        if (run.Diagnostics is not null && DiagnosticsCharts.All(run.Diagnostics).Count > 0)
            SaveWithPng(DiagnosticsCharts.Figure(run.Diagnostics), Path.Combine(directory, DiagnosticsCharts.FileName));
        File.WriteAllText(Path.Combine(directory, FileName), Html(run));
    }

    private static void SaveWithPng(Charts.Chart figure, string svg)
    {
        figure.Save(svg);
        PngConverter.TryConvert(svg, Path.ChangeExtension(svg, ".png"));
    }
}
