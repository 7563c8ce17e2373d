using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sparta.Experiments;

/// <summary>
/// An experiment file as a plain tree of mappings (key order kept), sequences and scalar texts,
/// so overrides and sampled values can be substituted by key path before anything is built.
/// </summary>
public sealed class YamlTree
{
    private YamlTree(string? text, bool quoted, List<KeyValuePair<string, YamlTree>>? entries, List<YamlTree>? items)
    {
        Text = text;
        Quoted = quoted;
        Entries = entries;
        Items = items;
    }

    /// <summary>The scalar's text; null for a mapping or a sequence.</summary>
    public string? Text { get; }

    /// <summary>A quoted scalar is always a string, never a number or a boolean.</summary>
    public bool Quoted { get; }

    public List<KeyValuePair<string, YamlTree>>? Entries { get; }

    public List<YamlTree>? Items { get; }

    /// <summary>The line the node starts on in its file (1-based); 0 for a node made in code.</summary>
    public int Line { get; private set; }

    public bool IsScalar => Text is not null;
    public bool IsMapping => Entries is not null;
    public bool IsSequence => Items is not null;

    public static YamlTree Scalar(string text, bool quoted = false) => new(text, quoted, null, null);
    public static YamlTree Mapping(IEnumerable<KeyValuePair<string, YamlTree>> entries) => new(null, false, entries.ToList(), null);
    public static YamlTree Sequence(IEnumerable<YamlTree> items) => new(null, false, null, items.ToList());

    public YamlTree? this[string key] => Entries?.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>Parses one YAML document; syntax errors name the file, line and column.</summary>
    public static YamlTree Parse(string text, string file)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            throw new ExperimentException(file, "", $"YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed documents this way (e.g. "The current event is of an unsupported type").
            throw new ExperimentException(file, "", $"YAML syntax error: {e.Message}");
        }
        if (stream.Documents.Count == 0) throw new ExperimentException(file, "", "the file is empty");
        return From(stream.Documents[0].RootNode, file, "");
    }

    /// <summary>One value written on a command line (<c>--set key=value</c>): a scalar or a flow mapping/sequence.</summary>
    public static YamlTree ParseValue(string text, string file, string path)
    {
        if (text.Length == 0) return Scalar("", quoted: true);
        try { return Parse(text, file); }
        catch (ExperimentException e) { throw new ExperimentException(file, path, $"cannot read value '{text}' ({e.Problem})"); }
    }

    private static YamlTree From(YamlNode node, string file, string path)
    {
        var tree = FromNode(node, file, path);
        tree.Line = (int)node.Start.Line;
        return tree;
    }

    private static YamlTree FromNode(YamlNode node, string file, string path) => node switch
    {
        YamlScalarNode s => Scalar(s.Value ?? "", s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted),
        YamlSequenceNode q => Sequence(q.Children.Select((c, i) => From(c, file, Join(path, i.ToString(CultureInfo.InvariantCulture))))),
        YamlMappingNode m => Mapping(m.Children.Select(c =>
        {
            string key = (c.Key as YamlScalarNode)?.Value ?? throw new ExperimentException(file, path, "keys must be plain names");
            return new KeyValuePair<string, YamlTree>(key, From(c.Value, file, Join(path, key)));
        })),
        _ => throw new ExperimentException(file, path, $"unsupported YAML node {node.NodeType}"),
    };

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public YamlTree Clone()
    {
        var copy = IsScalar ? Scalar(Text!, Quoted)
            : IsMapping ? Mapping(Entries!.Select(e => new KeyValuePair<string, YamlTree>(e.Key, e.Value.Clone())))
            : Sequence(Items!.Select(i => i.Clone()));
        return copy.AtLine(Line);
    }

    /// <summary>This node, marked as written on <paramref name="line"/> (a node rebuilt from one read from the file keeps its place).</summary>
    public YamlTree AtLine(int line)
    {
        Line = line;
        return this;
    }

    /// <summary>
    /// Replaces the value at a dotted path (sequence items by index). A missing last key is added
    /// (so the reader can then reject it by name if it is not a known key).
    /// </summary>
    public void Set(string path, YamlTree value, string file)
    {
        string[] keys = path.Split('.');
        if (keys.Any(k => k.Length == 0)) throw new ExperimentException(file, path, "empty key in the path");
        var node = this;
        for (int i = 0; i < keys.Length; i++)
        {
            string key = keys[i];
            bool last = i == keys.Length - 1;
            string where = string.Join('.', keys.Take(i + 1));
            if (node.IsMapping)
            {
                int index = node.Entries!.FindIndex(e => e.Key == key);
                if (last)
                {
                    if (index >= 0) node.Entries[index] = new(key, value);
                    else node.Entries.Add(new(key, value));
                    return;
                }
                if (index < 0)
                {
                    var child = Mapping([]);
                    node.Entries.Add(new(key, child));
                    node = child;
                }
                else node = node.Entries[index].Value;
            }
            else if (node.IsSequence)
            {
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= node.Items!.Count)
                    throw new ExperimentException(file, where, $"no item '{key}' in a list of {node.Items!.Count}");
                if (last) { node.Items[index] = value; return; }
                node = node.Items[index];
            }
            else throw new ExperimentException(file, where, $"'{string.Join('.', keys.Take(i))}' is the value '{node.Text}', not a mapping or a list");
        }
    }

    /// <summary>
    /// The first path (in <paramref name="a"/>'s order) where the trees differ, or null when they are
    /// equal; scalars that are both numbers compare as numbers (0.01 equals 1e-2).
    /// </summary>
    public static string? FirstDifference(YamlTree? a, YamlTree? b, string path)
    {
        if (a is null || b is null) return a is null && b is null ? null : path;
        if (a.IsScalar || b.IsScalar)
        {
            if (!a.IsScalar || !b.IsScalar) return path;
            bool numbers = double.TryParse(a.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                & double.TryParse(b.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double y);
            return (numbers ? x.Equals(y) : a.Text == b.Text) ? null : path;
        }
        if (a.IsSequence != b.IsSequence) return path;
        if (a.IsSequence)
        {
            for (int i = 0; i < Math.Max(a.Items!.Count, b.Items!.Count); i++)
                if (FirstDifference(a.Items.ElementAtOrDefault(i), b.Items.ElementAtOrDefault(i), Join(path, i.ToString(CultureInfo.InvariantCulture))) is { } found)
                    return found;
            return null;
        }
        foreach (string key in a.Entries!.Select(e => e.Key).Union(b.Entries!.Select(e => e.Key)))
            if (FirstDifference(a[key], b[key], Join(path, key)) is { } found) return found;
        return null;
    }

    /// <summary>Writes the tree back as YAML text.</summary>
    public string ToYaml()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(ToNode())).Save(writer, assignAnchors: false);
        string text = writer.ToString();
        // A stream ends its document with "...": drop it, one document per file.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private YamlNode ToNode()
    {
        if (IsScalar)
            return new YamlScalarNode(Text) { Style = Quoted || NeedsQuotes(Text!) ? ScalarStyle.SingleQuoted : ScalarStyle.Plain };
        if (IsSequence)
        {
            var sequence = new YamlSequenceNode(Items!.Select(i => i.ToNode()));
            if (Items!.All(i => i.IsScalar)) sequence.Style = YamlDotNet.Core.Events.SequenceStyle.Flow;
            return sequence;
        }
        var mapping = new YamlMappingNode();
        foreach (var (key, value) in Entries!) mapping.Add(new YamlScalarNode(key), value.ToNode());
        // A small mapping of plain values reads best on one line: {name: dense, units: 10}.
        if (Entries!.Count is > 0 and <= 6 && Entries.All(e => e.Value.IsScalar)) mapping.Style = YamlDotNet.Core.Events.MappingStyle.Flow;
        return mapping;
    }

    private static bool NeedsQuotes(string text) => text.Length == 0 || text.IndexOfAny([':', '#', '{', '}', '[', ']', ',', '\'', '"']) >= 0;
}
