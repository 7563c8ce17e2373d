using System.Globalization;
using Sparta.Diagnostics;

namespace Sparta.Reports;

/// <summary>
/// One run as one self-contained page (report.html): the final scores, the doctor's findings, the
/// learning curves and the experiment file, all read from the run directory's files.
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

        var findings = Doctor.Diagnose(run.History);
        var doctor = page.Section("findings", "Doctor's findings");
        if (findings.Count == 0) doctor.Paragraph("No problem found in the learning curves.");
        else doctor.List(findings.Select(f => f.ToString()), "findings");

        var curves = page.Section("curves", "Learning curves");
        foreach (var chart in LearningCurves.PerEpoch(run.History)) curves.Chart(chart);
        if (run.BatchLosses.Count > 0) curves.Chart(LearningCurves.PerBatch(run.BatchLosses));

        var experiment = page.Section("experiment", "Experiment file");
        if (run.ExperimentYaml is null) experiment.Paragraph("No experiment.yaml in the run directory.", "note");
        else experiment.Preformatted(run.ExperimentYaml);
        return page.ToHtml();
    }

    /// <summary>
    /// Writes learning_curves.svg (and its PNG copy when a converter is available) and report.html
    /// into a run directory whose other files are written. <paramref name="name"/> titles the page
    /// when the directory is not yet at its final name.
    /// </summary>
    public static void WriteInto(string directory, string? name = null)
    {
        var run = RunFiles.Load(directory);
        if (name is not null) run = run with { Name = name };
        string svg = Path.Combine(directory, LearningCurves.FileName);
        LearningCurves.Figure(run.History, run.BatchLosses).Save(svg);
        PngConverter.TryConvert(svg, Path.ChangeExtension(svg, ".png"));
        File.WriteAllText(Path.Combine(directory, FileName), Html(run));
    }
}
