namespace Sparta.Cli.Commands;

/// <summary><c>sparta report RUN_DIR [--out FILE]</c>: one self-contained HTML page, chosen by what is named.</summary>
public sealed class ReportCommand : ICommand
{
    public string Name => "report";
    public string Summary => "write a self-contained HTML report: sparta report RUN_DIR [--out FILE]";

    public int Run(Arguments args, TextWriter output) => ReportRun.Run(args, output);
}
