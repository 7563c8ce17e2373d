namespace Sparta.Experiments;

/// <summary>
/// An experiment file: every hyperparameter of a run, by the C# API's names. Values may be
/// distributions (<see cref="SearchSpace"/>); <see cref="Resolve(Func{SearchParameter, object?})"/> substitutes sampled values and
/// <see cref="Spec"/> gives the checked run description once none is left.
/// <code>
/// var experiment = Experiment.Load("examples/fashion-mnist-mlp.yaml").With("optimizer.learning_rate", "0.01");
/// var result = new ExperimentRunner(experiment.Spec(), experiment.Directory).Run(Console.Out);
/// </code>
/// </summary>
public sealed class Experiment
{
    private readonly YamlTree _tree;
    private readonly string _defaultName;

    private Experiment(YamlTree tree, string file, string directory, string defaultName)
    {
        // A layer repeated a fixed number of times is just written out, then only distributions remain.
        _tree = SearchSpaceReader.Resolve(tree, file, _ => null);
        File = file;
        Directory = directory;
        _defaultName = defaultName;
        SearchSpace = SearchSpaceReader.Find(_tree, file);
        Check(_tree);
    }

    /// <summary>
    /// Checks every key now, search-space files too: distributions stand in with their first value,
    /// and each option of a choice (each copy of a repeated layer) is checked in turn.
    /// </summary>
    private void Check(YamlTree tree)
    {
        var reader = new ExperimentReader(File, _defaultName);
        if (SearchSpace.Count == 0)
        {
            Search = reader.Read(tree).Search;
            return;
        }
        foreach (var (picked, values) in SearchSpaceCover.Assignments(SearchSpace))
        {
            try { Search = reader.Read(SearchSpaceReader.Resolve(tree, File, values)).Search; }
            catch (ExperimentException e) when (picked is not null)
            {
                throw new ExperimentException(e.File, e.KeyPath, $"{e.Problem} (when {picked})", e);
            }
        }
    }

    /// <summary>The file name used in messages.</summary>
    public string File { get; }

    /// <summary>Data file paths are relative to this directory (the experiment file's).</summary>
    public string Directory { get; }

    /// <summary>The file's <c>search:</c> section (sampler and pruner for <c>sparta tune</c>), or null.</summary>
    public SearchSpec? Search { get; private set; }

    /// <summary>Every value written as a distribution, in file order.</summary>
    public IReadOnlyList<SearchParameter> SearchSpace { get; }

    public static Experiment Load(string path) => Load(path, []);

    /// <summary>
    /// Reads an experiment file with values replaced (<c>--set key.path=value</c>, each value YAML)
    /// before it is checked, so a replacement can also fix a wrong value in the file.
    /// </summary>
    public static Experiment Load(string path, IEnumerable<KeyValuePair<string, string>> overrides)
    {
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExperimentException(path, "", $"cannot read the file ({e.Message})");
        }
        return Parse(text, path, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!, overrides);
    }

    /// <summary>Parses experiment text; <paramref name="file"/> names it in messages and gives the default run name.</summary>
    public static Experiment Parse(string text, string file = "experiment.yaml", string? directory = null,
        IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        var tree = YamlTree.Parse(text, file);
        foreach (var (path, value) in overrides ?? []) tree.Set(path, YamlTree.ParseValue(value, file, path), file);
        return new(tree, file, directory ?? System.IO.Directory.GetCurrentDirectory(), System.IO.Path.GetFileNameWithoutExtension(file));
    }

    /// <summary>The experiment with one value replaced, as <c>--set model.layers.1.units=512</c> does (the value is YAML).</summary>
    public Experiment With(string path, string valueText)
    {
        var tree = _tree.Clone();
        tree.Set(path, YamlTree.ParseValue(valueText, File, path), File);
        return new Experiment(tree, File, Directory, _defaultName);
    }

    /// <summary>
    /// Substitutes a value for each distribution, keyed by its <see cref="SearchParameter.Path"/>
    /// (a stored trial's parameters); a distribution without a value stays as written.
    /// </summary>
    public Experiment Resolve(IDictionary<string, object> values)
    {
        foreach (var path in values.Keys)
            if (SearchSpace.All(p => p.Path != path))
                throw new ExperimentException(File, path, $"is not a search-space value; {Suggest.Names(path, SearchSpace.Select(p => p.Path))}");
        return Resolve(p => values.TryGetValue(p.Path, out var value) ? value : null);
    }

    /// <summary>
    /// Define-by-run: asks <paramref name="sample"/> for a value of each distribution in file
    /// order, and only for those the values given so far reach (the chosen option's, the chosen
    /// number of copies'), as a tuning trial suggests them; a null value leaves the distribution as written.
    /// </summary>
    public Experiment Resolve(Func<SearchParameter, object?> sample) =>
        new(SearchSpaceReader.Resolve(_tree, File, sample), File, Directory, _defaultName);

    /// <summary>The checked run description; fails while distributions remain (those are for <c>sparta tune</c>).</summary>
    public ExperimentSpec Spec()
    {
        if (SearchSpace.Count > 0)
            throw new ExperimentException(File, SearchSpace[0].Path,
                $"is a search space ({SearchSpace.Count} distribution{(SearchSpace.Count == 1 ? "" : "s")}); train a fixed value (--set {SearchSpace[0].Path}=VALUE) or search it with sparta tune");
        return new ExperimentReader(File, _defaultName).Read(_tree);
    }

    /// <summary>
    /// The experiment to be saved in <paramref name="directory"/>: relative data file paths are
    /// rewritten relative to it, so the saved file reads the same files as this one.
    /// </summary>
    public Experiment MovedTo(string directory)
    {
        string target = System.IO.Path.GetFullPath(directory);
        var tree = _tree.Clone();
        foreach (string split in new[] { "train", "test" })
        {
            if (tree["data"]?[split] is not { IsMapping: true } files) continue;
            foreach (string key in new[] { "inputs", "targets" })
            {
                var paths = files[key] switch
                {
                    { IsScalar: true } => [key],
                    { IsMapping: true } named => named.Entries!.Where(e => e.Value.IsScalar).Select(e => $"{key}.{e.Key}").ToList(),
                    _ => new List<string>(),
                };
                foreach (string path in paths) Move(tree, $"data.{split}.{path}", Navigate(files, path), target);
            }
        }
        if (tree["model"]?["from"] is { IsScalar: true } from) Move(tree, "model.from", from, target);
        return new Experiment(tree, File, target, _defaultName);
    }

    private void Move(YamlTree tree, string key, YamlTree value, string target)
    {
        string file = value.Text!;
        if (System.IO.Path.IsPathRooted(file)) return;
        string moved = System.IO.Path.GetRelativePath(target, System.IO.Path.GetFullPath(file, Directory));
        tree.Set(key, YamlTree.Scalar(moved), File);
    }

    /// <summary>
    /// The first key whose value differs from <paramref name="other"/>'s, file paths compared as the
    /// files they name, the top-level keys in <paramref name="ignored"/> left out; null when none does.
    /// </summary>
    public string? FirstDifference(Experiment other, params string[] ignored)
    {
        YamlTree Without(YamlTree tree) => YamlTree.Mapping(tree.Entries!.Where(e => !ignored.Contains(e.Key)));
        return YamlTree.FirstDifference(Without(MovedTo(other.Directory)._tree), Without(other._tree), "");
    }

    private static YamlTree Navigate(YamlTree node, string path) => path.Split('.').Aggregate(node, (n, key) => n[key]!);

    /// <summary>The experiment as YAML, with any resolved values in place.</summary>
    public string ToYaml() => _tree.ToYaml();
}
