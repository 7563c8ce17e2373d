using System.Globalization;

namespace Sparta.Experiments;

/// <summary>One key path of the compared experiment files: its value in each (null where a file lacks it), and whether they differ.</summary>
public sealed record ComparedKey(string Key, IReadOnlyList<string?> Values, bool Differs);

/// <summary>
/// Experiment files side by side, key path by key path (<c>optimizer.learning_rate</c>,
/// <c>model.layers.1.units</c>), in the order the keys first appear: what changed between runs
/// stands out among what they share. Numbers compare as numbers (0.01 and 1e-2 are the same
/// value), as an override's check against a resumed run's experiment does.
/// </summary>
public static class ExperimentComparison
{
    /// <param name="files">Each experiment file's YAML text (null for a run without one: every key then differs) and a name for errors.</param>
    public static IReadOnlyList<ComparedKey> Compare(IReadOnlyList<(string Name, string? Yaml)> files)
    {
        var flattened = files.Select(f => f.Yaml is null ? [] : Flatten(YamlTree.Parse(f.Yaml, f.Name))).ToArray();
        var keys = flattened.SelectMany(f => f.Keys).Distinct().ToArray();
        return keys.Select(key =>
        {
            var leaves = flattened.Select(f => f.GetValueOrDefault(key)).ToArray();
            bool differs = leaves.Skip(1).Any(leaf => YamlTree.FirstDifference(leaves[0], leaf, key) is not null);
            return new ComparedKey(key, leaves.Select(Text).ToArray(), differs);
        }).ToArray();
    }

    /// <summary>The tree's leaves by key path, in document order; an empty mapping or list is a leaf of its own.</summary>
    private static Dictionary<string, YamlTree> Flatten(YamlTree tree)
    {
        var leaves = new Dictionary<string, YamlTree>(StringComparer.Ordinal);
        void Visit(YamlTree node, string path)
        {
            if (node.IsMapping && node.Entries!.Count > 0)
                foreach (var (key, value) in node.Entries) Visit(value, YamlTree.Join(path, key));
            else if (node.IsSequence && node.Items!.Count > 0)
                for (int i = 0; i < node.Items.Count; i++) Visit(node.Items[i], YamlTree.Join(path, i.ToString(CultureInfo.InvariantCulture)));
            else leaves[path] = node;
        }
        Visit(tree, "");
        return leaves;
    }

    private static string? Text(YamlTree? leaf) => leaf switch
    {
        null => null,
        { IsScalar: true } => leaf.Text,
        { IsMapping: true } => "{}",
        _ => "[]",
    };
}
