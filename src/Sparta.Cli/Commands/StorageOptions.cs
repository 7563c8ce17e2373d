using System.CommandLine;
using Sparta.Tuning.Workers;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>--storage URL</c>, <c>--study NAME</c>, <c>--workers W</c>, <c>--concurrency N</c>,
/// <c>--heartbeat SECONDS</c>, <c>--grace SECONDS</c> and <c>--report FILE</c>: where <c>sparta tune</c>
/// keeps its study and how its workers share it (<see cref="TuneStorageOptions"/>).
/// </summary>
public sealed class StorageOptions
{
    public Option<string?> Storage { get; } = OptionFactory.OptionalText("--storage",
        $"where the study is kept: sqlite:///PATH.db, postgresql://USER:PASSWORD@HOST:PORT/DATABASE or memory (default: {TuneStorageOptions.DefaultUrl})", "URL");
    public Option<string?> Study { get; } = OptionFactory.OptionalText("--study", "the study's name (default: from the file or function, the sampler and the seed); an existing study is resumed", "NAME");
    public Option<int> Workers { get; } = OptionFactory.Int("--workers", "trials run at once in this process", 1, 1, 256);
    public Option<int?> Concurrency { get; } = OptionFactory.OptionalInt("--concurrency",
        "the most trials the study runs at once across all its processes, fixed when it is created (default: --workers); trial k is drawn from trials 0 to k-N only, so the study's trials do not depend on the scheduling", 1, 4096);
    public Option<double?> Heartbeat { get; } = OptionFactory.OptionalDouble("--heartbeat", "seconds between a running trial's heartbeats (default: 10)");
    public Option<double?> Grace { get; } = OptionFactory.OptionalDouble("--grace", "seconds without a heartbeat after which a trial's worker is taken for dead and the trial retried (default: 1.5 heartbeats)");
    public Option<string?> Report { get; } = OptionFactory.OptionalText("--report", "the study's HTML report (default: STUDY-report.html beside the SQLite file)", "FILE.html");

    public StorageOptions(Command command)
    {
        foreach (var option in All) command.Add(option);
    }

    public IEnumerable<Option> All => [Storage, Study, Workers, Concurrency, Heartbeat, Grace, Report];

    public TuneStorageOptions Read(ParseResult parse) => new(parse.GetValue(Storage) ?? TuneStorageOptions.DefaultUrl, parse.GetValue(Study),
        parse.GetValue(Workers), All.Any(parse.Given), parse.GetValue(Report), parse.GetValue(Concurrency), ReadHeartbeats(parse));

    private WorkerOptions ReadHeartbeats(ParseResult parse)
    {
        var options = new WorkerOptions();
        if (parse.GetValue(Heartbeat) is double heartbeat) options = options with { HeartbeatInterval = Seconds(Heartbeat, heartbeat) };
        if (parse.GetValue(Grace) is double grace) options = options with { GracePeriod = Seconds(Grace, grace) };
        if (options.GracePeriod < options.HeartbeatInterval)
            throw new UsageException($"option --grace: must be at least the heartbeat interval ({options.HeartbeatInterval.TotalSeconds:0.###} s), got {options.GracePeriod.TotalSeconds:0.###}");
        return options;
    }

    private static TimeSpan Seconds(Option option, double seconds) => seconds > 0 && seconds <= 86_400
        ? TimeSpan.FromSeconds(seconds)
        : throw new UsageException($"option {option.Name}: expected seconds in (0, 86400], got {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
