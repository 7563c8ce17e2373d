using Sparta.Tuning;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Storage.Relational;

namespace Sparta.Cli.Commands;

/// <summary>
/// Where <c>sparta tune</c> keeps its study: <c>--storage URL</c> (a SQLite file under runs/ by
/// default, so a run can be resumed and shared by several processes with nothing to start),
/// <c>--study NAME</c>, <c>--workers W</c> (worker threads in this process) and <c>--report FILE</c>,
/// the study's report written when the run ends. <see cref="StorageOptions"/> reads them.
/// </summary>
public sealed record TuneStorageOptions(string Url, string? StudyName, int Workers, bool Given, string? Report = null)
{
    public const string DefaultUrl = "sqlite:///runs/sparta-studies.db";

    /// <summary>
    /// Where the study's report goes: <c>--report FILE</c>, else beside the study's database
    /// (<see cref="StudyReportFile.DefaultPath"/>); a study kept in memory gets one only when asked.
    /// </summary>
    public string? ReportPath(string studyName) => Report ?? (Url == "memory" ? null : StudyReportFile.DefaultPath(Url, studyName));

    /// <summary>The study name given, else one derived from what is tuned, the sampler and the seed.</summary>
    public string NameOr(string derived) => StudyName ?? derived;

    /// <summary>
    /// Opens the storage and runs <paramref name="use"/> on it. A URL that cannot be parsed is a
    /// usage error; a database that cannot be reached fails with one line naming the URL, its
    /// password masked (the storage's own message).
    /// </summary>
    public T Open<T>(Func<IStudyStorage, T> use)
    {
        // The default database lives under runs/, which may not exist yet.
        if (StorageUrl.SqliteFile(Url) is { Length: > 0 } file && Path.GetDirectoryName(file) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        return use(Parsed(StorageUrl.Open));
    }

    /// <summary>Opens the storage only to read it (reports, the dashboard): nothing in the database changes.</summary>
    public IStudyStorage OpenReadOnly() => Parsed(StorageUrl.OpenReadOnly);

    private IStudyStorage Parsed(Func<string, IStudyStorage> open)
    {
        try { return open(Url); }
        catch (ArgumentException e) when (e.Message.StartsWith("storage: ", StringComparison.Ordinal))
        {
            throw new UsageException($"option --storage: {e.Message["storage: ".Length..]}");
        }
    }
}
