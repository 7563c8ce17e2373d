using Sparta.Reports;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta report RUN_DIR [--out FILE]</c>: (re)writes a run's report from its files, by default
/// RUN_DIR/report.html, atomically (a reader never sees half a page), and prints where it is.
/// </summary>
internal static class ReportRun
{
    public static int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count != 1) throw new UsageException($"expected one run directory, got {args.Positional.Count} arguments");
        string directory = args.Positional[0];
        string target = args.String("out") ?? Path.Combine(directory, RunReport.FileName);
        args.RejectUnknown("report");
        var run = RunFiles.Load(directory);
        AtomicText.Write(target, RunReport.Html(run));
        output.WriteLine($"report {Path.GetFullPath(target)}");
        return 0;
    }
}
