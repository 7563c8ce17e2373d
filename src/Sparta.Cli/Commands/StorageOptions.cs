using System.CommandLine;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>--storage URL</c>, <c>--study NAME</c>, <c>--workers W</c> and <c>--report FILE</c>: where
/// <c>sparta tune</c> keeps its study (<see cref="TuneStorageOptions"/>).
/// </summary>
public sealed class StorageOptions
{
    public Option<string?> Storage { get; } = OptionFactory.OptionalText("--storage",
        $"where the study is kept: sqlite:///PATH.db, postgresql://USER:PASSWORD@HOST:PORT/DATABASE or memory (default: {TuneStorageOptions.DefaultUrl})", "URL");
    public Option<string?> Study { get; } = OptionFactory.OptionalText("--study", "the study's name (default: from the file or function, the sampler and the seed); an existing study is resumed", "NAME");
    public Option<int> Workers { get; } = OptionFactory.Int("--workers", "trials run at once in this process", 1, 1, 256);
    public Option<string?> Report { get; } = OptionFactory.OptionalText("--report", "the study's HTML report (default: STUDY-report.html beside the SQLite file)", "FILE.html");

    public StorageOptions(Command command)
    {
        foreach (var option in All) command.Add(option);
    }

    public IEnumerable<Option> All => [Storage, Study, Workers, Report];

    public TuneStorageOptions Read(ParseResult parse) => new(parse.GetValue(Storage) ?? TuneStorageOptions.DefaultUrl, parse.GetValue(Study),
        parse.GetValue(Workers), All.Any(parse.Given), parse.GetValue(Report));
}
