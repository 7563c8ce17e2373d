using Sparta.Reports;
using Sparta.Serialization;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta report RUN_DIR [--out FILE]</c>: (re)writes a run's report from its files, by default
/// RUN_DIR/report.html, atomically (a reader never sees half a page), and prints where it is.
/// </summary>
internal static class ReportRun
{
    public static int Run(string directory, string? outPath, TextWriter output)
    {
        string target = outPath ?? Path.Combine(directory, RunReport.FileName);
        var run = RunFiles.Load(directory);
        AtomicText.Write(target, RunReport.Html(run));
        output.WriteLine($"report {Path.GetFullPath(target)}");
        return 0;
    }
}
