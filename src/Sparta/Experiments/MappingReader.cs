using Sparta.Configuration;

namespace Sparta.Experiments;

/// <summary>
/// Reads the keys of one mapping of the experiment file and remembers which were asked for, so
/// <see cref="Finish"/> can reject any other key by its full path with the closest known keys.
/// </summary>
internal sealed class MappingReader
{
    private readonly YamlTree _node;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly IReadOnlyCollection<string>? _declared;

    /// <summary>
    /// With <paramref name="declared"/>, the mapping's keys are checked against it at once, so a
    /// misspelt key is named before a missing one it stands for is (<c>optimiser:</c> in a file
    /// that also lacks <c>data:</c> is told about <c>optimiser</c> first).
    /// </summary>
    public MappingReader(YamlTree node, string file, string path, IReadOnlyCollection<string>? declared = null)
    {
        if (!node.IsMapping) throw new ExperimentException(file, path, $"must be a mapping of keys, got {Scalars.Show(node)}");
        _node = node;
        File = file;
        Path = path;
        _declared = declared;
        if (declared is null) return;
        foreach (var (key, _) in node.Entries!)
            if (!declared.Contains(key))
                throw new ExperimentException(File, At(key), $"unknown key; {Suggest.Keys(key, declared)}");
    }

    public string File { get; }
    public string Path { get; }

    public string At(string key) => YamlTree.Join(Path, key);

    public YamlTree? Get(string key)
    {
        if (_declared is not null && !_declared.Contains(key))
            throw new InvalidOperationException($"bug: key '{At(key)}' is read but missing from the keys declared to this reader (e.g. ExperimentReader.TopLevelKeys)");
        _known.Add(key);
        return _node[key];
    }

    /// <summary>A key that must be there; when it is missing but a close spelling is present, names that one.</summary>
    public YamlTree Required(string key, string example)
    {
        if (Get(key) is { } value) return value;
        string? typo = _node.Entries!.Select(e => e.Key).FirstOrDefault(k => !_known.Contains(k) && NameSuggestions.IsClose(k, key));
        throw typo is not null
            ? new ExperimentException(File, At(typo), $"unknown key; did you mean '{key}'?")
            : new ExperimentException(File, At(key), $"missing; e.g. {example}");
    }

    public double Number(string key, double fallback) => Get(key) is { } n ? Scalars.Number(n, File, At(key)) : fallback;

    public int Int(string key, int fallback, int minimum) => Get(key) is { } n ? Scalars.Int(n, File, At(key), minimum) : fallback;

    public int? OptionalInt(string key, int minimum) => Get(key) is { } n ? Scalars.Int(n, File, At(key), minimum) : null;

    public bool Bool(string key, bool fallback) => Get(key) is { } n ? Scalars.Bool(n, File, At(key)) : fallback;

    public string? Text(string key) => Get(key) is { } n ? Scalars.Text(n, File, At(key)) : null;

    /// <summary>Fails on the first key no read asked for.</summary>
    public void Finish()
    {
        foreach (var (key, _) in _node.Entries!)
            if (!_known.Contains(key))
                throw new ExperimentException(File, At(key), $"unknown key; {Suggest.Keys(key, _known)}");
    }
}
