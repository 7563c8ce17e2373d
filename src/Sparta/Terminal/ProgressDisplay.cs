using System.Globalization;

namespace Sparta.Terminal;

/// <summary>
/// Whether a command draws progress bars, and how a bar looks. Bars are redrawn in place with
/// carriage returns, which only a person at a terminal wants: output piped to a file or another
/// program, and any CI log (CI=true, as every CI service sets it), gets the plain lines only.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Whether writing to <paramref name="output"/> should draw bars: it is this process's console, a terminal, outside CI.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ShowsBars(ReferenceEquals(output, Console.Out), Console.IsOutputRedirected, Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// The decision itself: bars only on the console, not redirected, and not in CI. A CI
    /// variable set to anything but empty, "0" or "false" (any case) means CI.
    /// </summary>
    public static bool ShowsBars(bool writesToConsole, bool outputRedirected, string? ciVariable) =>
        writesToConsole && !outputRedirected && !IsSet(ciVariable);

    private static bool IsSet(string? flag) =>
        !string.IsNullOrWhiteSpace(flag) && flag.Trim() != "0" && !flag.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>[====......]</c>: <paramref name="done"/> of <paramref name="total"/> as filled cells, never more than full.</summary>
    public static string Bar(long done, long total, int width, char fill)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), $"bar width must be positive, got {width}");
        int filled = total <= 0 ? width : (int)(width * Math.Clamp(done, 0, total) / total);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string(fill, filled)}{new string('.', width - filled)}]");
    }

    /// <summary>Moves to the start of the line and clears it, so the next write replaces the bar.</summary>
    public const string ClearLine = "\r\x1b[2K";
}
