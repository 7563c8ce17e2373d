using System.Diagnostics;

namespace Sparta.Serialization;

/// <summary>
/// A file written atomically goes first to <c>NAME.PID-N.tmp</c> beside it, then is renamed over
/// NAME. N numbers the writes of this process, so two threads writing NAME at once (two studies'
/// runs in one process) never share a temporary. A process killed mid-write leaves its temporary
/// behind, so each new write of NAME first removes the temporaries of processes no longer running.
/// </summary>
internal static class TemporaryFiles
{
    private const string Suffix = ".tmp";
    private static long _writes;

    /// <summary>This process's temporary for <paramref name="fullPath"/>, after removing dead processes' ones.</summary>
    public static string For(string fullPath)
    {
        RemoveStale(fullPath);
        return $"{fullPath}.{Environment.ProcessId}-{Interlocked.Increment(ref _writes)}{Suffix}";
    }

    private static void RemoveStale(string fullPath)
    {
        string directory = Path.GetDirectoryName(fullPath)!, name = Path.GetFileName(fullPath);
        if (!Directory.Exists(directory)) return;
        foreach (string candidate in Directory.EnumerateFiles(directory, name + ".*" + Suffix))
        {
            string writer = Path.GetFileName(candidate)[(name.Length + 1)..^Suffix.Length];
            string pidText = writer.Split('-')[0];
            if (!int.TryParse(pidText, out int pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(candidate); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another process got there first, or it is not ours to delete
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }
}
