using System.Globalization;

namespace Sparta.Experiments;

/// <summary>
/// Finds and resolves the distributions of an experiment tree. A distribution is a mapping whose
/// first key is one of uniform, loguniform, int or choice (int may add <c>step</c> and <c>log</c>,
/// uniform <c>step</c>, any a <c>label</c> that names the parameter in place of its key path, as
/// <c>trial.suggest_float("lr", ...)</c> would). Two forms make parts of the space conditional:
/// <list type="bullet">
/// <item>a <c>choice</c> whose options are mappings (blocks): the option is a categorical
/// parameter, labelled by each option's <c>name</c> or <c>type</c> (by its index when these are
/// missing or not distinct), and the distributions inside an option are named under its label
/// (<c>optimizer.sgd.momentum</c>) and drawn only when it is chosen;</item>
/// <item>a list item <c>{repeat: COUNT, layer: TEMPLATE}</c>: COUNT copies of TEMPLATE. COUNT is
/// an int distribution (the parameter <c>PATH.repeat</c>), and the distributions of TEMPLATE are
/// then drawn per copy (<c>PATH.layer.K.units</c>), or a plain integer.</item>
/// </list>
/// One walk serves both uses, so names and checks cannot drift apart: without a sampler it
/// visits every option and every possible copy and lists their parameters; with one, it draws
/// define-by-run, only what the choices made so far reach, and builds the resolved tree.
/// </summary>
internal sealed class SearchSpaceReader
{
    /// <summary>A repeat count above this is surely a typo, and would list that many copies of every parameter.</summary>
    public const int MaxCopies = 100;
    private static readonly string[] RepeatKeys = ["repeat", "layer"];

    private readonly string _file;
    private readonly Func<SearchParameter, object?>? _sample;
    private readonly List<SearchParameter> _found = [];
    // Labelled names met so far, with the key path that took each (a label names one value).
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    private SearchSpaceReader(string file, Func<SearchParameter, object?>? sample)
    {
        _file = file;
        _sample = sample;
    }

    private bool Enumerating => _sample is null;

    /// <summary>Every parameter any trial could draw, in file order (options in turn, copies in turn), with its condition.</summary>
    public static List<SearchParameter> Find(YamlTree root, string file)
    {
        var reader = new SearchSpaceReader(file, null);
        reader.Walk(root, "", "", null);
        return reader._found;
    }

    /// <summary>
    /// The tree with each distribution the walk reaches replaced by the value <paramref name="sample"/>
    /// gives (a choice of blocks by the chosen block, a repeated layer by its copies). A null value
    /// leaves that distribution as written.
    /// </summary>
    public static YamlTree Resolve(YamlTree root, string file, Func<SearchParameter, object?> sample) =>
        new SearchSpaceReader(file, sample).Walk(root.Clone(), "", "", null);

    private static bool IsDistribution(YamlTree node) =>
        node.IsMapping && node.Entries!.Count > 0 && SearchParameter.KindNames.Contains(node.Entries[0].Key);

    private static bool IsRepeat(YamlTree node) => node.IsMapping && node.Entries!.Count > 0 && node.Entries[0].Key == "repeat";

    /// <param name="path">The key path in the file, for messages.</param>
    /// <param name="name">The parameter name a distribution here gets.</param>
    /// <param name="condition">The innermost choice or copy this node depends on.</param>
    private YamlTree Walk(YamlTree node, string path, string name, SearchCondition? condition)
    {
        if (IsDistribution(node))
            return IsChoiceOfBlocks(node, path) ? Branch(node, path, name, condition) : Draw(Read(node, path, name, condition)) ?? node;
        if (node.IsMapping)
            return YamlTree.Mapping(node.Entries!.Select(e => new KeyValuePair<string, YamlTree>(e.Key,
                Walk(e.Value, YamlTree.Join(path, e.Key), YamlTree.Join(name, e.Key), condition)))).AtLine(node.Line);
        if (node.IsSequence)
            return YamlTree.Sequence(node.Items!.SelectMany((item, i) =>
            {
                string index = i.ToString(CultureInfo.InvariantCulture);
                string at = YamlTree.Join(path, index), named = YamlTree.Join(name, index);
                return IsRepeat(item) ? Repeat(item, at, named, condition) : [Walk(item, at, named, condition)];
            })).AtLine(node.Line);
        return node;
    }

    /// <summary>Records the parameter and, when resolving, the sampled value as a scalar (null: left as written).</summary>
    private YamlTree? Draw(SearchParameter parameter)
    {
        _found.Add(parameter);
        return Enumerating || _sample!(parameter) is not { } value ? null : ToScalar(value);
    }

    private bool IsChoiceOfBlocks(YamlTree node, string path)
    {
        if (node.Entries![0] is not ("choice", { IsSequence: true } options) || !options.Items!.Any(o => o.IsMapping)) return false;
        int plain = options.Items!.FindIndex(o => !o.IsMapping);
        if (plain >= 0)
            throw new ExperimentException(_file, YamlTree.Join(path, $"choice.{plain}"),
                $"options must be all plain values or all mappings (blocks), got {Scalars.Show(options.Items[plain])} among mappings");
        return true;
    }

    /// <summary>A choice of blocks: the label is the parameter; the chosen block is walked under it.</summary>
    private YamlTree Branch(YamlTree node, string path, string name, SearchCondition? condition)
    {
        string at = YamlTree.Join(path, "choice");
        if (node.Entries!.Count > 1)
            throw new ExperimentException(_file, YamlTree.Join(path, node.Entries[1].Key), "unknown key for a choice distribution; no keys are accepted here");
        var options = node.Entries[0].Value.Items!;
        string[] labels = Labels(options);
        var parameter = new SearchParameter(name, SearchKind.Choice, Choices: labels, Condition: condition);
        _found.Add(parameter);
        YamlTree Option(int i) => Walk(options[i], YamlTree.Join(at, i.ToString(CultureInfo.InvariantCulture)),
            YamlTree.Join(name, labels[i]), new SearchCondition(name, Option: labels[i]));
        if (Enumerating)
        {
            for (int i = 0; i < options.Count; i++) Option(i);
            return node;
        }
        if (_sample!(parameter) is not { } chosen) return node;
        int index = Array.IndexOf(labels, chosen as string);
        if (index < 0) throw new ExperimentException(_file, name, $"'{chosen}' is not an option; options: {string.Join(", ", labels)}");
        return Option(index);
    }

    /// <summary>Each option's name or type when every option has a distinct one, else the options' indices.</summary>
    private static string[] Labels(List<YamlTree> options)
    {
        var named = options.Select(o => (o["name"] ?? o["type"]) is { IsScalar: true } label ? label.Text! : null).ToArray();
        return named.All(n => n is not null) && named.Distinct().Count() == named.Length
            ? named.Select(n => n!).ToArray()
            : options.Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A repeated layer: its copies, each walked under its own number.</summary>
    private IEnumerable<YamlTree> Repeat(YamlTree item, string path, string name, SearchCondition? condition)
    {
        foreach (var (key, _) in item.Entries!)
            if (!RepeatKeys.Contains(key))
                throw new ExperimentException(_file, YamlTree.Join(path, key), $"unknown key for a repeated layer; {Suggest.Keys(key, RepeatKeys)}");
        string countAt = YamlTree.Join(path, "repeat"), countName = YamlTree.Join(name, "repeat");
        var countNode = item["repeat"]!;
        var count = IsDistribution(countNode) ? CountDistribution(countNode, countAt, countName, condition) : null;
        int? copies = count is null ? FixedCount(countNode, countAt)
            : Enumerating ? (int)count.High
            : _sample!(count) is { } drawn ? DrawnCount(drawn, count)
            : null;
        if (copies is null) return [item];
        var template = item["layer"] ?? throw new ExperimentException(_file, path,
            "a repeated layer needs the layer to repeat, e.g. {repeat: {int: [1, 3]}, layer: {name: dense, units: 64}}");
        string layerAt = YamlTree.Join(path, "layer"), layerName = YamlTree.Join(name, "layer");
        return Enumerable.Range(0, copies.Value).Select(k => Walk(template, layerAt, YamlTree.Join(layerName, k.ToString(CultureInfo.InvariantCulture)),
            count is null ? condition : new SearchCondition(countName, Copy: k))).ToList();
    }

    private SearchParameter CountDistribution(YamlTree node, string path, string name, SearchCondition? condition)
    {
        var count = Read(node, path, name, condition);
        if (count.Kind != SearchKind.Int)
            throw new ExperimentException(_file, path, $"must be an integer or an int distribution such as {{int: [1, 3]}}, got {Scalars.Show(node)}");
        if (count.Low < 0 || count.High > MaxCopies)
            throw new ExperimentException(_file, path, $"the count must be in [0, {MaxCopies}], got {Scalars.Show(node)}");
        _found.Add(count);
        return count;
    }

    /// <summary>A count given from outside (a stored trial, a hand-written value) is checked against its distribution before copies are made.</summary>
    private int DrawnCount(object drawn, SearchParameter count) =>
        drawn is long or int && Convert.ToInt64(drawn, CultureInfo.InvariantCulture) is long n && n >= count.Low && n <= count.High ? (int)n
        : throw new ExperimentException(_file, count.Path, $"the count must be an integer in [{Scalars.Format(count.Low)}, {Scalars.Format(count.High)}], got {Convert.ToString(drawn, CultureInfo.InvariantCulture)}");

    private int FixedCount(YamlTree node, string path) =>
        node.IsScalar && Scalars.Value(node) is double n && n == Math.Floor(n) && n >= 0 && n <= MaxCopies ? (int)n
        : throw new ExperimentException(_file, path, $"must be an integer in [0, {MaxCopies}] or an int distribution such as {{int: [1, 3]}}, got {Scalars.Show(node)}");

    private SearchParameter Read(YamlTree node, string path, string name, SearchCondition? condition)
    {
        var (kindName, bounds) = node.Entries![0];
        string where = YamlTree.Join(path, kindName);
        string[] allowedExtras = kindName switch { "int" => ["step", "log", "label"], "uniform" => ["step", "label"], _ => ["label"] };
        double? step = null;
        bool log = kindName == "loguniform";
        foreach (var (key, value) in node.Entries.Skip(1))
        {
            string at = YamlTree.Join(path, key);
            if (!allowedExtras.Contains(key))
                throw new ExperimentException(_file, at, $"unknown key for a {kindName} distribution; {Suggest.Keys(key, allowedExtras)}");
            if (key == "step") step = Scalars.PositiveNumber(value, _file, at);
            else if (key == "label") name = Labelled(Scalars.Text(value, _file, at), name, at);
            else log = Scalars.Bool(value, _file, at);
        }
        if (kindName == "choice")
        {
            if (!bounds.IsSequence || bounds.Items!.Count == 0 || !bounds.Items.All(i => i.IsScalar))
                throw new ExperimentException(_file, where, "must be a non-empty list of values or of mappings, e.g. {choice: [relu, tanh]}");
            return new SearchParameter(name, SearchKind.Choice, Choices: bounds.Items.Select(Scalars.Value).ToArray(), Condition: condition);
        }
        if (!bounds.IsSequence || bounds.Items!.Count != 2 || !bounds.Items.All(i => i.IsScalar))
            throw new ExperimentException(_file, where, $"must be a list [low, high], got {Scalars.Show(bounds)}");
        double low = Scalars.Number(bounds.Items[0], _file, where), high = Scalars.Number(bounds.Items[1], _file, where);
        if (!(low < high)) throw new ExperimentException(_file, where, $"low must be below high, got [{Scalars.Format(low)}, {Scalars.Format(high)}]");
        if (log && low <= 0) throw new ExperimentException(_file, where, $"a log range must be above zero, got [{Scalars.Format(low)}, {Scalars.Format(high)}]");
        if (kindName == "int")
        {
            if (low != Math.Floor(low) || high != Math.Floor(high)) throw new ExperimentException(_file, where, $"int bounds must be integers, got [{Scalars.Format(low)}, {Scalars.Format(high)}]");
            if (step is double s && s != Math.Floor(s)) throw new ExperimentException(_file, YamlTree.Join(path, "step"), $"must be an integer, got {Scalars.Format(s)}");
            if (log && step is > 1) throw new ExperimentException(_file, YamlTree.Join(path, "step"), "cannot be combined with log: true");
        }
        var kind = kindName switch { "int" => SearchKind.Int, "loguniform" => SearchKind.LogUniform, _ => SearchKind.Uniform };
        return new SearchParameter(name, kind, low, high, step, log, Condition: condition);
    }

    /// <summary>
    /// The name a <c>label</c> gives a parameter in place of its key path: the label, followed by
    /// the copy number of each repeated layer it sits in (<c>units.0</c>, <c>units.1</c>), so copies
    /// stay apart. Two values may not share a label.
    /// </summary>
    private string Labelled(string label, string name, string at)
    {
        if (label.Length == 0 || label.Any(char.IsWhiteSpace) || label.Contains(':'))
            throw new ExperimentException(_file, at, $"a label is a short name without spaces or colons, e.g. lr; got '{label}'");
        var copies = System.Text.RegularExpressions.Regex.Matches(name, @"(?:^|\.)layer\.(\d+)(?=\.|$)").Select(m => "." + m.Groups[1].Value);
        string labelled = label + string.Concat(copies);
        if (_labels.TryGetValue(labelled, out var other) && other != at)
            throw new ExperimentException(_file, at, $"label '{label}' is already the name of {other.Replace(".label", "", StringComparison.Ordinal)}; each label names one value");
        _labels[labelled] = at;
        return labelled;
    }

    private static YamlTree ToScalar(object value) => value switch
    {
        string s => YamlTree.Scalar(s),
        bool b => YamlTree.Scalar(b ? "true" : "false"),
        double d => YamlTree.Scalar(d.ToString("R", CultureInfo.InvariantCulture)),
        float f => YamlTree.Scalar(f.ToString("R", CultureInfo.InvariantCulture)),
        IFormattable n => YamlTree.Scalar(n.ToString(null, CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"experiment: cannot substitute a value of type {value?.GetType().Name ?? "null"}"),
    };
}
