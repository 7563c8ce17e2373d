using System.Diagnostics;
using Sparta.Serialization;

namespace Sparta.Reports;

/// <summary>
/// PNG copies of SVG figures through <c>rsvg-convert</c> (Debian's librsvg2-bin) when it is on the
/// PATH. A convenience for viewers without SVG: the SVG stays the figure, so a missing or failing
/// converter leaves no PNG and no error.
/// </summary>
public static class PngConverter
{
    private const string Program = "rsvg-convert";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static bool Available => Locate() is not null;

    /// <summary>Writes <paramref name="pngPath"/> (through a temporary file, so never half); false when it could not.</summary>
    public static bool TryConvert(string svgPath, string pngPath)
    {
        if (Locate() is not { } program) return false;
        string temporary = TemporaryFiles.For(Path.GetFullPath(pngPath));
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in new[] { "--format", "png", "--output", temporary, svgPath }) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            drain.Wait();
            if (process.ExitCode != 0 || !File.Exists(temporary)) return false;
            File.Move(temporary, pngPath, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string? Locate() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, Program))
            .FirstOrDefault(File.Exists);
}
