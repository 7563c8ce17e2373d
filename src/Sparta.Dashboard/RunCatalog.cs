using System.Text.Json;
using Sparta.Tuning;

namespace Sparta.Dashboard;

/// <summary>
/// The runs of a runs directory (as <c>sparta train</c> writes them, see RunDirectory): every
/// direct subdirectory holding a history.json. Runs are looked up by name among the listed ones
/// only, so a request can never reach a file outside the directory.
/// </summary>
internal sealed class RunCatalog(string? root)
{
    /// <summary>The trial user attribute naming the run directory a trial trained, when it wrote one.</summary>
    public const string TrialRunAttr = "run_dir";

    public sealed record Run(string Name, IReadOnlyDictionary<string, double[]> History, IReadOnlyDictionary<string, JsonElement> Result, string? Experiment);

    public IReadOnlyList<string> Names =>
        root is null || !Directory.Exists(root) ? []
        : Directory.EnumerateDirectories(root).Select(d => Path.GetFileName(d))
            // Hidden directories are runs still being written (RunDirectory stages them so).
            .Where(n => !n.StartsWith('.') && File.Exists(Path.Combine(root, n, "history.json")))
            .Order(StringComparer.Ordinal).ToArray();

    public Run? Find(string name)
    {
        if (root is null || !Names.Contains(name)) return null;
        string directory = Path.Combine(root, name);
        string result = Path.Combine(directory, "result.json"), experiment = Path.Combine(directory, "experiment.yaml");
        return new Run(name,
            JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(Path.Combine(directory, "history.json")), Api.JsonOptions)!,
            File.Exists(result) ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(result))! : new Dictionary<string, JsonElement>(),
            File.Exists(experiment) ? File.ReadAllText(experiment) : null);
    }

    /// <summary>The name of the listed run a trial trained, from its <see cref="TrialRunAttr"/> attribute, or null.</summary>
    public string? RunOf(FrozenTrial trial)
    {
        if (root is null || !trial.UserAttrs.TryGetValue(TrialRunAttr, out var json)) return null;
        using var value = JsonDocument.Parse(json);
        if (value.RootElement.ValueKind != JsonValueKind.String) return null;
        string path = value.RootElement.GetString()!;
        string full = Path.GetFullPath(path, Path.GetFullPath(root));
        string name = Path.GetFileName(full);
        return Path.GetDirectoryName(full) == Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) && Names.Contains(name) ? name : null;
    }
}
