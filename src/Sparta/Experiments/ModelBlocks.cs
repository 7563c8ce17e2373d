using System.Globalization;

namespace Sparta.Experiments;

/// <summary>
/// The blocks of a model (<c>model.blocks</c>): named lists of layers with parameters, written once
/// and used in <c>model.layers</c> (or in another block) as <c>{block: NAME, PARAMETER: VALUE}</c>,
/// as often as needed (<c>{repeat: 3, layer: {block: NAME}}</c> repeats one). A layer of a block
/// writes a parameter as <c>$NAME</c>; in a graph it reads the block's inputs by name (<c>input</c>
/// unless the block lists its <c>inputs</c>) or the ids of earlier layers of the same block, so a
/// residual connection or an Inception module's branches are written once. Expanding gives the plain
/// layer list the reader checks: values substituted, each use's ids prefixed by the use's <c>id</c>
/// (else <c>BLOCK_N</c>, the N-th use), and the use's <c>id</c> naming the block's last layer.
/// Mistakes name the block, the parameter and the line.
/// </summary>
internal sealed class ModelBlocks
{
    private static readonly string[] DefinitionKeys = ["parameters", "inputs", "layers"];
    private static readonly string[] UseKeys = ["block", "id", "inputs"];
    private const int MaxDepth = 16;

    private sealed record Block(string Name, string Path, int Line, IReadOnlyList<(string Name, YamlTree? Default)> Parameters,
        IReadOnlyList<string> Inputs, IReadOnlyList<YamlTree> Layers);

    /// <summary>One use of a block being expanded: its values and how its names map to the layers around it.</summary>
    private sealed class Scope
    {
        public required Block Block { get; init; }
        public required string UsePath { get; init; }
        public required int UseLine { get; init; }
        public required IReadOnlyDictionary<string, YamlTree> Values { get; init; }
        public required IReadOnlyList<Func<string>> Inputs { get; init; }
        public required string Prefix { get; init; }
        /// <summary>Whether the block's first layer must name its input (the use reads something other than the layer before it).</summary>
        public required bool ExplicitInput { get; init; }
        public required int Start { get; init; }
        public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

        public string Context => $"block '{Block.Name}' used at {UsePath} (line {UseLine})";
    }

    /// <summary>A layer of the expanded list: its tree, where it was written, and the block use it came from (for messages).</summary>
    public sealed record Expanded(YamlTree Layer, string Path, string? Context);

    private readonly string _file;
    private readonly Dictionary<string, Block> _blocks;
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly List<Expanded> _output = [];
    private string? _firstInput;

    private ModelBlocks(string file, Dictionary<string, Block> blocks)
    {
        _file = file;
        _blocks = blocks;
    }

    /// <summary>Reads <c>model.blocks</c> (null: none) and checks each definition.</summary>
    public static ModelBlocks Read(YamlTree? node, string path, string file)
    {
        var blocks = new Dictionary<string, Block>(StringComparer.Ordinal);
        if (node is null) return new ModelBlocks(file, blocks);
        if (!node.IsMapping)
            throw new ExperimentException(file, path, $"must map block names to blocks, e.g. {{conv_bn: {{parameters: {{filters: 32}}, layers: [...]}}}}, got {Scalars.Show(node)}");
        foreach (var (name, definition) in node.Entries!)
            blocks[name] = ReadBlock(name, definition, YamlTree.Join(path, name), file);
        return new ModelBlocks(file, blocks);
    }

    private static Block ReadBlock(string name, YamlTree node, string path, string file)
    {
        var m = new MappingReader(node, file, path);
        var parameters = m.Get("parameters") switch
        {
            null => [],
            { IsSequence: true } list => list.Items!.Select((p, i) => (Scalars.Text(p, file, $"{m.At("parameters")}.{i}"), (YamlTree?)null)).ToList(),
            { IsMapping: true } map => map.Entries!.Select(e => (e.Key, IsRequired(e.Value) ? null : (YamlTree?)e.Value)).ToList(),
            var other => throw new ExperimentException(file, m.At("parameters"),
                $"block '{name}' (line {other.Line}): must list the parameters' names or map them to defaults, e.g. {{filters: 32, strides: ~}}, got {Scalars.Show(other)}"),
        };
        foreach (var (parameter, _) in parameters)
            if (UseKeys.Contains(parameter))
                throw new ExperimentException(file, YamlTree.Join(m.At("parameters"), parameter), $"block '{name}' (line {node.Line}): '{parameter}' is a key of every block use; name the parameter otherwise");
        var inputs = m.Get("inputs") is { } i
            ? (i.IsSequence ? i.Items!.Select((x, k) => Scalars.Text(x, file, $"{m.At("inputs")}.{k}")).ToList() : [Scalars.Text(i, file, m.At("inputs"))])
            : ["input"];
        var layersNode = m.Required("layers", "layers: [{name: conv2d, filters: $filters, kernel_size: 3}]");
        if (!layersNode.IsSequence || layersNode.Items!.Count == 0)
            throw new ExperimentException(file, m.At("layers"), $"block '{name}' (line {layersNode.Line}): needs a list of at least one layer, got {Scalars.Show(layersNode)}");
        m.Finish();
        return new Block(name, path, node.Line, parameters, inputs, layersNode.Items);
    }

    /// <summary>A parameter written without a default (<c>filters: ~</c> or <c>filters:</c>) must be given at each use.</summary>
    private static bool IsRequired(YamlTree value) => value.IsScalar && !value.Quoted && value.Text is "" or "~" or "null";

    public IReadOnlyCollection<string> Names => _blocks.Keys;

    /// <summary>
    /// The layers of <c>model.layers</c> with every block use replaced by the block's layers.
    /// <paramref name="firstInput"/> is the graph's first input (what a block at the start reads), null in a sequence.
    /// </summary>
    public IReadOnlyList<Expanded> Expand(IReadOnlyList<YamlTree> layers, string path, string? firstInput)
    {
        _firstInput = firstInput;
        for (int i = 0; i < layers.Count; i++) Emit(layers[i], $"{path}.{i.ToString(CultureInfo.InvariantCulture)}", null, 0);
        return _output;
    }

    private void Emit(YamlTree node, string path, Scope? scope, int depth)
    {
        if (node.IsMapping && node["block"] is { } name) Use(node, Scalars.Text(name, _file, YamlTree.Join(path, "block")), path, scope, depth);
        else _output.Add(new Expanded(scope is null ? node : Rewrite(node, path, scope), path, scope?.Context));
    }

    /// <summary>Expands one use of a block: its values, its inputs, its layers, and its id on the last of them.</summary>
    private void Use(YamlTree node, string name, string path, Scope? outer, int depth)
    {
        string at = YamlTree.Join(path, "block");
        if (!_blocks.TryGetValue(name, out var block))
            throw new ExperimentException(_file, at, $"unknown block '{name}' (line {node.Line}); {Suggest.Names(name, _blocks.Keys)}");
        if (depth >= MaxDepth)
            throw new ExperimentException(_file, at, $"block '{name}' (line {node.Line}): blocks nest more than {MaxDepth} deep; does a block use itself?");
        var values = new Dictionary<string, YamlTree>(StringComparer.Ordinal);
        string? id = null;
        List<string>? reads = null;
        foreach (var (key, value) in node.Entries!)
        {
            string keyAt = YamlTree.Join(path, key);
            if (key == "block") continue;
            if (key == "id") id = Scalars.Text(outer is null ? value : Substitute(value, keyAt, outer), _file, keyAt);
            else if (key == "inputs") reads = References(value, keyAt).Select(r => outer is null ? r : Resolve(r, keyAt, outer)).ToList();
            else if (block.Parameters.Any(p => p.Name == key)) values[key] = outer is null ? value : Substitute(value, keyAt, outer);
            else
                throw new ExperimentException(_file, keyAt, $"block '{name}' (line {value.Line}) has no parameter '{key}'; " +
                    Suggest.Keys(key, block.Parameters.Select(p => p.Name).Concat(UseKeys)));
        }
        foreach (var (parameter, fallback) in block.Parameters)
            if (!values.ContainsKey(parameter))
                values[parameter] = fallback ?? throw new ExperimentException(_file, path,
                    $"block '{name}' (line {node.Line}) needs parameter '{parameter}' (it has no default), e.g. {{block: {name}, {parameter}: ...}}");
        if (reads is not null && reads.Count != block.Inputs.Count)
            throw new ExperimentException(_file, YamlTree.Join(path, "inputs"),
                $"block '{name}' (line {node.Line}) reads {block.Inputs.Count} input(s) ({string.Join(", ", block.Inputs)}), got {reads.Count}");
        if (reads is null && block.Inputs.Count != 1)
            throw new ExperimentException(_file, path, $"block '{name}' (line {node.Line}) reads {block.Inputs.Count} inputs ({string.Join(", ", block.Inputs)}); list them in 'inputs'");
        // A use inside a block is named within that block's use, like the block's own layers.
        string? ownId = id;
        if (outer is not null && id is not null) id = $"{outer.Prefix}_{id}";
        int use = _uses[name] = _uses.GetValueOrDefault(name) + 1;
        int start = _output.Count;
        var previous = Previous(outer);
        var scope = new Scope
        {
            Block = block, UsePath = path, UseLine = node.Line, Values = values, Start = start,
            Prefix = id ?? $"{name}_{use.ToString(CultureInfo.InvariantCulture)}",
            Inputs = reads is null ? [previous] : reads.Select(r => (Func<string>)(() => r)).ToList(),
            ExplicitInput = reads is not null || (outer is not null && start == outer.Start && outer.ExplicitInput),
        };
        for (int i = 0; i < block.Layers.Count; i++)
            Emit(block.Layers[i], $"{block.Path}.layers.{i.ToString(CultureInfo.InvariantCulture)}", scope, depth + 1);
        if (id is null) return;
        SetId(_output.Count - 1, id);
        if (outer is not null) outer.Ids[ownId!] = id;
    }

    /// <summary>What a layer without inputs would read here: the last layer written, else the enclosing block's input or the graph's first input.</summary>
    private Func<string> Previous(Scope? scope)
    {
        int count = _output.Count;
        if (count > (scope?.Start ?? 0)) return () => EnsureId(count - 1);
        if (scope is not null) return scope.Inputs[0];
        return () => _firstInput ?? throw new ExperimentException(_file, "model.inputs", "a block that names its input needs a graph model (give model.inputs)");
    }

    /// <summary>A layer of a block with its parameters substituted, its id prefixed and its inputs resolved.</summary>
    private YamlTree Rewrite(YamlTree node, string path, Scope scope)
    {
        var layer = Substitute(node, path, scope);
        if (!layer.IsMapping)
        {
            if (_output.Count != scope.Start || !scope.ExplicitInput) return layer;
            layer = YamlTree.Mapping([new("name", layer)]).AtLine(layer.Line);
        }
        var entries = layer.Entries!.Where(e => e.Key is not ("id" or "inputs")).ToList();
        if (layer["inputs"] is { } inputs)
        {
            string at = YamlTree.Join(path, "inputs");
            entries.Add(new("inputs", YamlTree.Sequence(References(inputs, at).Select(r => YamlTree.Scalar(Resolve(r, at, scope))))));
        }
        else if (_output.Count == scope.Start && scope.ExplicitInput) entries.Add(new("inputs", YamlTree.Scalar(scope.Inputs[0]())));
        if (layer["id"] is { } id)
        {
            string own = Scalars.Text(id, _file, YamlTree.Join(path, "id"));
            string prefixed = scope.Ids[own] = $"{scope.Prefix}_{own}";
            entries.Add(new("id", YamlTree.Scalar(prefixed)));
        }
        return YamlTree.Mapping(entries).AtLine(layer.Line);
    }

    /// <summary>An input a layer of a block reads: one of the block's inputs or an earlier id of the same use.</summary>
    private string Resolve(string reference, string path, Scope scope)
    {
        int input = scope.Block.Inputs.ToList().IndexOf(reference);
        if (input >= 0) return scope.Inputs[input]();
        if (scope.Ids.TryGetValue(reference, out var id)) return id;
        throw new ExperimentException(_file, path, $"block '{scope.Block.Name}': '{reference}' is neither an input of the block nor an earlier layer's id in it; " +
            Suggest.Names(reference, scope.Block.Inputs.Concat(scope.Ids.Keys)) + $" ({scope.Context})");
    }

    /// <summary>Each <c>$NAME</c> scalar replaced by the use's value of that parameter.</summary>
    private YamlTree Substitute(YamlTree node, string path, Scope scope)
    {
        if (node.IsScalar)
        {
            if (node.Quoted || !node.Text!.StartsWith('$')) return node;
            string parameter = node.Text[1..];
            return scope.Values.TryGetValue(parameter, out var value) ? value.Clone()
                : throw new ExperimentException(_file, path, $"block '{scope.Block.Name}' (line {node.Line}) has no parameter '{parameter}'; " +
                    Suggest.Names(parameter, scope.Values.Keys));
        }
        if (node.IsSequence)
            return YamlTree.Sequence(node.Items!.Select((item, i) => Substitute(item, $"{path}.{i.ToString(CultureInfo.InvariantCulture)}", scope))).AtLine(node.Line);
        return YamlTree.Mapping(node.Entries!.Select(e => new KeyValuePair<string, YamlTree>(e.Key, Substitute(e.Value, YamlTree.Join(path, e.Key), scope)))).AtLine(node.Line);
    }

    private List<string> References(YamlTree node, string path) => node.IsSequence
        ? node.Items!.Select((x, j) => Scalars.Text(x, _file, $"{path}.{j.ToString(CultureInfo.InvariantCulture)}")).ToList()
        : [Scalars.Text(node, _file, path)];

    /// <summary>The id of an expanded layer, giving it one (<c>BLOCK_N_input</c>-style, from its position) when it has none.</summary>
    private string EnsureId(int index)
    {
        var entry = _output[index];
        if (entry.Layer["id"] is { IsScalar: true } id) return id.Text!;
        string generated = $"layer_{index.ToString(CultureInfo.InvariantCulture)}";
        SetId(index, generated);
        return generated;
    }

    private void SetId(int index, string id)
    {
        var entry = _output[index];
        var layer = entry.Layer.IsMapping ? entry.Layer : YamlTree.Mapping([new("name", entry.Layer)]).AtLine(entry.Layer.Line);
        var entries = layer.Entries!.Where(e => e.Key != "id").Append(new("id", YamlTree.Scalar(id))).ToList();
        _output[index] = entry with { Layer = YamlTree.Mapping(entries).AtLine(layer.Line) };
    }
}
