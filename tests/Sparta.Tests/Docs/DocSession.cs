using System.Diagnostics;
using System.Text.RegularExpressions;
using Sparta.Tests.Data;
using Sparta.Tests.Experiments;

namespace Sparta.Tests.Docs;

/// <summary>
/// Runs a page's commands in order, as a reader would from the repository's root: in a fresh directory
/// holding a copy of <c>examples/</c> and <c>bench/peers/</c> (the peers a benchmark runs beside the tool) and a
/// <c>./sparta</c> that runs the tool this test was built with.
/// Timings (<c>time:</c>, <c>train_s=</c>, <c>samples_per_s=</c>) and the directory itself
/// (<c>/path/to/repository</c> on the pages) are the only parts of a printed line not compared.
/// </summary>
public sealed partial class DocSession : IDisposable
{
    /// <summary>What the pages write for the directory they run in.</summary>
    public const string RepositoryPlaceholder = "/path/to/repository";

    private readonly TempDirectory _root = new();
    private readonly IReadOnlyDictionary<string, string> _environment;

    public DocSession(IReadOnlyDictionary<string, string>? environment = null)
    {
        _environment = environment ?? new Dictionary<string, string>();
        foreach (string folder in new[] { "examples", "bench/peers" })
            CopyDirectory(System.IO.Path.Combine(RepositoryRoot.Path, folder), _root.File(folder));
        string tool = System.IO.Path.Combine(RepositoryRoot.Path, "src", "Sparta.Cli", "bin", "Release", "net10.0", "Sparta.Cli.dll");
        File.WriteAllText(_root.File("sparta"), $"#!/bin/sh\nexec dotnet '{tool}' \"$@\"\n");
        File.SetUnixFileMode(_root.File("sparta"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path => _root.Path;

    public void Dispose() => _root.Dispose();

    /// <summary>Runs <paramref name="command"/> with bash in the session's directory: stdout and stderr as one text, in order, and the exit code.</summary>
    public (string Output, int ExitCode) Run(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command + " 2>&1"]) { WorkingDirectory = Path, RedirectStandardOutput = true };
        // The pages show what the 256-bit vector path prints, which every x86-64 machine of the project's
        // kind runs: a 512-bit path sums in another order, and the last digits of a float (more, in a run at a
        // high learning rate) differ. README.md, "Threads and reproducibility", says so to the reader.
        start.Environment["DOTNET_EnableAVX512"] = "0";
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (output, process.ExitCode);
    }

    /// <summary>A printed line as compared: timings blanked, the session's directory written as the pages write it.</summary>
    public string Normalize(string line) =>
        Timings().Replace(line.Replace(Path, RepositoryPlaceholder).TrimEnd(), m => m.Groups[1].Value + "*");

    /// <summary>
    /// Null when <paramref name="actual"/> prints what <paramref name="expected"/> shows, a line <c>...</c>
    /// standing for any number of lines; else the first difference.
    /// </summary>
    public string? Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var want = expected.Select(Normalize).ToList();
        var got = actual.Select(Normalize).ToList();
        while (want.Count > 0 && want[^1].Length == 0) want.RemoveAt(want.Count - 1);
        while (got.Count > 0 && got[^1].Length == 0) got.RemoveAt(got.Count - 1);
        return Match(want, 0, got, 0) ? null : $"the page shows\n{string.Join('\n', want)}\nthe tool printed\n{string.Join('\n', got)}";
    }

    private static bool Match(List<string> want, int w, List<string> got, int g)
    {
        if (w == want.Count) return g == got.Count;
        if (want[w].Trim() == "...")
        {
            for (int skip = g; skip <= got.Count; skip++)
                if (Match(want, w + 1, got, skip)) return true;
            return false;
        }
        return g < got.Count && want[w] == got[g] && Match(want, w + 1, got, g + 1);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        foreach (string directory in Directory.GetDirectories(from)) CopyDirectory(directory, System.IO.Path.Combine(to, System.IO.Path.GetFileName(directory)));
    }

    [GeneratedRegex(@"(time:|train_s=|samples_per_s=)[0-9.]+s?")]
    private static partial Regex Timings();
}
