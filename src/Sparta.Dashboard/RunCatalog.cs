using System.Diagnostics;
using System.Text.Json;
using Sparta.Experiments;
using Sparta.Reports;
using Sparta.Tuning;

namespace Sparta.Dashboard;

/// <summary>
/// The runs of a runs directory (as <c>sparta train</c> writes them): every direct subdirectory
/// holding a history.json, and every run still training, whose files grow in its hidden staging
/// directory (<c>.NAME.partial-PID</c>, shown as NAME while the process PID lives). Runs are looked
/// up by name among the listed ones only, so a request can never reach a file outside the directory.
/// </summary>
internal sealed class RunCatalog(string? root)
{
    /// <summary>The trial user attribute naming the run directory a trial trained, when it wrote one.</summary>
    public const string TrialRunAttr = Sparta.Tuning.Experiments.ExperimentObjective.RunDirAttr;

    private readonly RunFilesCache _light = new();

    /// <summary>A listed run: its name, the directory its files are read from, and whether it is still training.</summary>
    public sealed record Entry(string Name, string Directory, bool Live);

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            if (root is null || !System.IO.Directory.Exists(root)) return [];
            var finished = new List<Entry>();
            var live = new List<Entry>();
            foreach (string directory in System.IO.Directory.EnumerateDirectories(root))
            {
                string name = Path.GetFileName(directory);
                if (!File.Exists(Path.Combine(directory, RunFiles.HistoryFile))) continue;
                if (!name.StartsWith('.')) finished.Add(new Entry(name, directory, Live: false));
                else if (LiveName(name) is { } training) live.Add(new Entry(training, directory, Live: true));
            }
            // A run that finished between the two looks is listed once, finished.
            return finished.Concat(live.Where(l => !finished.Any(f => f.Name == l.Name)))
                .OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
        }
    }

    public IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    /// <summary>The run's files, or null when no listed run has that name.</summary>
    public RunFiles? Find(string name, bool batches = true) => Load(Entries.FirstOrDefault(e => e.Name == name), batches);

    /// <summary>
    /// Reads a listed run; a live run that finished and was renamed since it was listed is read
    /// again under its final name. <paramref name="batches"/> as <see cref="RunFiles.Load"/> takes it; a run
    /// read without its batches is kept until its files change (<see cref="RunFilesCache"/>).
    /// </summary>
    public RunFiles? Load(Entry? entry, bool batches = true)
    {
        if (entry is null) return null;
        try { return (batches ? RunFiles.Load(entry.Directory) : _light.Load(entry.Directory)) with { Name = entry.Name }; }
        catch (IOException) when (entry.Live && !System.IO.Directory.Exists(entry.Directory))
        {
            return Load(Entries.FirstOrDefault(e => e.Name == entry.Name && !e.Live), batches);
        }
    }

    /// <summary>The name of the listed run a trial trained, from its <see cref="TrialRunAttr"/> attribute, or null.</summary>
    public string? RunOf(FrozenTrial trial)
    {
        if (root is null || !trial.UserAttrs.TryGetValue(TrialRunAttr, out var json)) return null;
        using var value = JsonDocument.Parse(json);
        if (value.RootElement.ValueKind != JsonValueKind.String) return null;
        string full = Path.GetFullPath(value.RootElement.GetString()!, Path.GetFullPath(root));
        string name = Path.GetFileName(full);
        return Path.GetDirectoryName(full) == Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) && Names.Contains(name) ? name : null;
    }

    /// <summary>NAME of a staging directory <c>.NAME.partial-PID</c> whose process still runs; null for any other hidden directory.</summary>
    private static string? LiveName(string directoryName)
    {
        int marker = directoryName.LastIndexOf(RunDirectory.PartialMarker, StringComparison.Ordinal);
        if (marker <= 1 || !int.TryParse(directoryName.AsSpan(marker + RunDirectory.PartialMarker.Length), out int pid)) return null;
        return IsRunning(pid) ? directoryName[1..marker] : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }
}
