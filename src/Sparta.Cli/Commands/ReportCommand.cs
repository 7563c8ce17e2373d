namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta report RUN_DIR [--out FILE]</c> or <c>sparta report --study NAME [--storage URL] [--out FILE]</c>:
/// one self-contained HTML page, chosen by what is named.
/// </summary>
public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "write a self-contained HTML report: sparta report RUN_DIR [--out FILE], or of a study: sparta report --study NAME [--storage URL (default "
        + TuneStorageOptions.DefaultUrl + ")] [--out FILE.html (default STUDY-report.html beside the SQLite file)]";

    public int Run(Arguments args, TextWriter output) => args.String("study") is string study ? ReportStudy.Run(study, args, output) : ReportRun.Run(args, output);
}
