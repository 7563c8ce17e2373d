using System.Text.Json;
using Sparta.Reports;
using Sparta.Tuning;

namespace Sparta.Dashboard;

/// <summary>
/// The runs of a runs directory (as <c>sparta train</c> writes them): every direct subdirectory
/// holding a history.json. Runs are looked up by name among the listed ones only, so a request can
/// never reach a file outside the directory.
/// </summary>
internal sealed class RunCatalog(string? root)
{
    /// <summary>The trial user attribute naming the run directory a trial trained, when it wrote one.</summary>
    public const string TrialRunAttr = "run_dir";

    public IReadOnlyList<string> Names =>
        root is null || !Directory.Exists(root) ? []
        : Directory.EnumerateDirectories(root).Select(d => Path.GetFileName(d))
            // Hidden directories are runs still being written (RunDirectory stages them so).
            .Where(n => !n.StartsWith('.') && File.Exists(Path.Combine(root, n, RunFiles.HistoryFile)))
            .Order(StringComparer.Ordinal).ToArray();

    public RunFiles? Find(string name) => root is not null && Names.Contains(name) ? RunFiles.Load(Path.Combine(root, name)) : null;

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
}
