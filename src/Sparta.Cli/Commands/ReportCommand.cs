using Sparta.Tuning;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta report RUN_DIR [--out FILE]</c> writes a run's report; <c>sparta report --study NAME
/// [--storage URL] [--out FILE.html]</c> a study's. Each is one HTML file that opens without a network.
/// </summary>
public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "write a self-contained HTML report: sparta report RUN_DIR [--out FILE], or report --study NAME [--storage URL (default "
        + TuneStorageOptions.DefaultUrl + ")] [--out FILE.html (default STUDY-report.html beside the SQLite file)]";

    public int Run(Arguments args, TextWriter output)
    {
        string? studyName = args.String("study");
        if (studyName is null && args.Positional.Count > 0) return ReportRun.Run(args, output);
        string url = args.String("storage") ?? TuneStorageOptions.DefaultUrl;
        string? outPath = args.String("out");
        args.RejectUnknown("report");
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}': name the study with --study NAME");
        if (studyName is null) throw new UsageException("expected a run directory (report RUN_DIR) or a study (report --study NAME)");
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
        var options = new TuneStorageOptions(url, name, 1, true);
        return options.Open(storage => storage.FindStudy(name) is null
            ? throw new UsageException($"option --study: no study '{name}' in {StorageUrl.Mask(url)} (it holds: {Names(storage.GetAllStudies())})")
            : Study.Load(name, storage));
    }

    private static string Names(IReadOnlyList<StudyInfo> studies) => studies.Count == 0 ? "none" : string.Join(", ", studies.Select(s => s.Name));
}
