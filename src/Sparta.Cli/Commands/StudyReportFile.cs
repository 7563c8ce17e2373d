using Sparta.Serialization;
using Sparta.Tuning;
using Sparta.Tuning.Reports;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// A study's report as one self-contained HTML file (<see cref="StudyReportPage"/>), replaced
/// atomically so a browser reloading it never sees half a file.
/// </summary>
public static class StudyReportFile
{
    /// <summary>
    /// <c>STUDY-report.html</c> beside the study's SQLite file, so the report sits with the data it
    /// shows; under runs/ for a study on a server.
    /// </summary>
    public static string DefaultPath(string storageUrl, string studyName)
    {
        string directory = StorageUrl.SqliteFile(storageUrl) is string file ? Path.GetDirectoryName(Path.GetFullPath(file))! : Path.GetFullPath("runs");
        // A study name may hold any character; the file name keeps the portable ones.
        string name = new(studyName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return Path.Combine(directory, name + "-report.html");
    }

    /// <summary>
    /// Writes the report of <paramref name="study"/>. A study of an experiment file gets its best
    /// trial as an experiment file, its data paths relative to the report's directory.
    /// </summary>
    public static void Write(Study study, string path)
    {
        var data = StudyReportData.Of(study);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? bestExperiment = data.Best is { } best && TunedExperiment.Read(study) is { } tuned
            ? tuned.ForTrial(best, study.SeedOf(best)).MovedTo(directory).ToYaml()
            : null;
        AtomicText.Write(path, StudyReportPage.Render(data, bestExperiment));
    }
}
