using Sparta.Tuning;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta report --study NAME [--storage URL] [--out FILE]</c>: writes a stored study's report
/// (<see cref="StudyReportFile"/>) and prints where it is.
/// </summary>
internal static class ReportStudy
{
    public static int Run(string studyName, string url, string? outPath, TextWriter output)
    {
        var study = OpenStudy(url, studyName);
        string path = outPath ?? StudyReportFile.DefaultPath(url, studyName);
        StudyReportFile.Write(study, path);
        output.WriteLine($"study report written to {path}");
        return 0;
    }

    /// <summary>The stored study; a missing database file or study is an error naming it (and the studies there are).</summary>
    private static Study OpenStudy(string url, string name)
    {
        // Opening a SQLite file that is not there would create an empty database.
        if (StorageUrl.SqliteFile(url) is string file && file.Length > 0 && !File.Exists(file))
            throw new UsageException($"option --storage: no database file '{file}' ({url})");
        var storage = new TuneStorageOptions(url, name, 1, true).OpenReadOnly();
        return storage.FindStudy(name) is null
            ? throw new UsageException($"option --study: no study '{name}' in {StorageUrl.Mask(url)} (it holds: {Names(storage.GetAllStudies())})")
            : Study.Load(name, storage);
    }

    private static string Names(IReadOnlyList<StudyInfo> studies) => studies.Count == 0 ? "none" : string.Join(", ", studies.Select(s => s.Name));
}
