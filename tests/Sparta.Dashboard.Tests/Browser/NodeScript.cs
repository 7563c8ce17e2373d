using System.Diagnostics;
using System.Text.Json;

namespace Sparta.Dashboard.Tests.Browser;

/// <summary>
/// Runs one of the browser scripts of tests/browser with Node, Debian's Chromium and the
/// playwright-core that <c>npm ci</c> installed there. A missing piece fails the test with the
/// command that installs it: a browser test never passes by being skipped.
/// </summary>
public static class NodeScript
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string BrowserDirectory { get; } = Path.Combine(RepositoryRoot(), "tests", "browser");

    /// <summary>Where screenshots go: the test output directory, kept after the run.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>
    /// Starts <paramref name="script"/>; <paramref name="onLine"/> sees each line it prints as it
    /// comes (a script announces steps so the test can act on them). Returns the last line parsed
    /// as JSON once the script succeeds; fails the test with the script's message otherwise.
    /// </summary>
    public static async Task<JsonElement> RunAsync(string script, IReadOnlyList<string> arguments, Action<string>? onLine = null)
    {
        CheckInstalled();
        var start = new ProcessStartInfo("node") { WorkingDirectory = BrowserDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                onLine?.Invoke(line);
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} did not finish within {Timeout.TotalMinutes} minutes");
        }
        string errors = await stderr;
        Assert.True(process.ExitCode == 0, $"node {script} failed (exit {process.ExitCode}): {errors.Trim()}");
        Assert.NotEmpty(lines);
        return JsonDocument.Parse(lines[^1]).RootElement.Clone();
    }

    private static void CheckInstalled()
    {
        Assert.True(File.Exists(Chromium), $"browser tests need Debian's Chromium at {Chromium}: apt-get install chromium (test.sh installs it)");
        Assert.True(OnPath("node"), "browser tests need Node.js on PATH: apt-get install nodejs npm (test.sh installs them)");
        Assert.True(Directory.Exists(Path.Combine(BrowserDirectory, "node_modules", "playwright-core")),
            $"browser tests need playwright-core in {BrowserDirectory}/node_modules: run npm ci there (test.sh does)");
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, command)));

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Sparta.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no Sparta.sln above {AppContext.BaseDirectory}");
    }
}
