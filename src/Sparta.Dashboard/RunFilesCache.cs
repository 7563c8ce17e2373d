using System.Collections.Concurrent;
using Sparta.Reports;

namespace Sparta.Dashboard;

/// <summary>
/// Runs as last read (their history, result and experiment file), by directory, kept while those
/// files are unchanged: the home page, the list of runs and every chart of a comparison each read
/// all the runs they show, and 50 runs compared would otherwise read 150 files per request. A file
/// is unchanged while its size and last write time are (<c>sparta train</c> replaces its files whole,
/// by renaming a new one over them), so a live run is read again after each epoch.
/// </summary>
internal sealed class RunFilesCache
{
    /// <summary>The files a run is read from without its batches (<see cref="RunFiles.Load"/>).</summary>
    private static readonly string[] Files = [RunFiles.HistoryFile, RunFiles.ResultFile, RunFiles.ExperimentFile];

    private readonly ConcurrentDictionary<string, (string Stamp, RunFiles Run)> _runs = new(StringComparer.Ordinal);

    /// <summary>The run in <paramref name="directory"/> without its batches, read again only when one of its files changed.</summary>
    public RunFiles Load(string directory)
    {
        // Stamped before reading: a file replaced while it is read leaves a stamp older than the run kept, so the next request reads it again.
        string stamp = Stamp(directory);
        if (_runs.TryGetValue(directory, out var kept) && kept.Stamp == stamp) return kept.Run;
        var run = RunFiles.Load(directory, batches: false);
        _runs[directory] = (stamp, run);
        return run;
    }

    private static string Stamp(string directory) => string.Join('|', Files.Select(file =>
    {
        var info = new FileInfo(Path.Combine(directory, file));
        return info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "-";
    }));
}
