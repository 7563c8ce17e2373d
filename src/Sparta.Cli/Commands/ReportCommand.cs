using System.CommandLine;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta report RUN_DIR [--out FILE]</c> or <c>sparta report --study NAME [--storage URL] [--out FILE]</c>:
/// one self-contained HTML page, chosen by what is named.
/// </summary>
public sealed class ReportCommand : SpartaCommand
{
    private readonly Argument<string?> _run = new("RUN_DIR") { Description = "a run directory (sparta train writes them under runs/)", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _study = OptionFactory.OptionalText("--study", "report a stored study instead of a run", "NAME");
    private readonly Option<string?> _storage = OptionFactory.OptionalText("--storage", $"the study's storage (default: {TuneStorageOptions.DefaultUrl})", "URL");
    private readonly Option<string?> _out = OptionFactory.OptionalText("--out", "the HTML file (default: RUN_DIR/report.html; STUDY-report.html beside the SQLite file)", "FILE.html");

    public ReportCommand() : base("report", "Write a self-contained HTML report of a run directory or of a stored study.",
        "sparta report runs/fashion-mnist-mlp-seed0",
        "sparta report --study fashion-mnist-mlp-search-auto-0 --out study.html")
    {
        Add(_run);
        Add(_study);
        Add(_storage);
        Add(_out);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string? run = parse.GetValue(_run), study = parse.GetValue(_study), outPath = parse.GetValue(_out);
        if (study is not null)
        {
            if (run is not null) throw new UsageException($"unexpected argument '{run}': a study's report takes no run directory");
            return ReportStudy.Run(study, parse.GetValue(_storage) ?? TuneStorageOptions.DefaultUrl, outPath, output);
        }
        if (parse.Given(_storage)) throw new UsageException("option --storage names where a study is kept; report one with --study NAME");
        return ReportRun.Run(run ?? throw new UsageException("expected a run directory, or a study with --study NAME"), outPath, output);
    }
}
