using Sparta.Tuning;
using Sparta.Tuning.Storage;
using Sparta.Tuning.Experiments;
using Sparta.Tuning.Storage.Relational;
using Sparta.Tuning.Workers;

namespace Sparta.Cli.Commands;

/// <summary>
/// Where <c>sparta tune</c> keeps its study: <c>--storage URL</c> (a SQLite file under runs/ by
/// default, so a run can be resumed and shared by several processes with nothing to start),
/// <c>--study NAME</c>, <c>--workers W</c> (worker threads in this process), <c>--concurrency N</c>
/// (trials at once across all processes), the workers' heartbeats and <c>--report FILE</c>,
/// the study's report written when the run ends. <see cref="StorageOptions"/> reads them.
/// </summary>
public sealed record TuneStorageOptions(string Url, string? StudyName, int Workers, bool Given, string? Report = null, int? Concurrency = null,
    WorkerOptions? Heartbeats = null)
{
    /// <summary>The concurrency a new study is created with (<see cref="ExperimentSearchOptions.NewStudyConcurrency"/>).</summary>
    public int? NewStudyConcurrency => ExperimentSearchOptions.DefaultConcurrency(Concurrency, Workers);

    /// <summary>
    /// Checks that a given <c>--concurrency</c> is the study's: it is fixed when the study is created,
    /// since the trials drawn so far depend on it.
    /// </summary>
    public void CheckConcurrency(Study study)
    {
        if (Concurrency is int given && study.Concurrency != given)
            throw new UsageException($"option --concurrency: study '{study.Name}' was created with {(study.Concurrency is int c ? $"concurrency {c}" : "no concurrency")}, got {given}");
    }

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
