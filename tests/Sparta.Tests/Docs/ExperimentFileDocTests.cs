using System.Text.RegularExpressions;
using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Preprocessing;
using Sparta.Experiments;
using Sparta.Initializers;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Schedules;
using Sparta.Tests.Experiments;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;

namespace Sparta.Tests.Docs;

/// <summary>
/// Keeps docs/experiment-file.md honest: every key the experiment reader asks for, every registered
/// name and every parameter each component reads must be documented, in the section of its kind
/// and, for a component, in its own table row; and every component the page lists must exist.
/// The keys come from the code itself (the readers' "valid keys" and the components' known keys),
/// so a key added without its line here fails this test.
/// </summary>
public partial class ExperimentFileDocTests
{
    private static readonly string[] Page = Document("experiment-file.md");

    private static string[] Document(string name) => File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "docs", name));

    private const string Probe = "qqqqqqqqqqqqqqqqqqqqqqqq"; // far from every real key, so messages list all valid ones

    /// <summary>Arguments without which a component cannot be created at all (it then never reaches its unknown-key check).</summary>
    private static readonly Dictionary<string, KeyValuePair<string, object>[]> Required = new()
    {
        ["layer dense"] = [new("units", 1.0)],
        ["layer conv2d"] = [new("filters", 1.0), new("kernel_size", 1.0)],
        ["layer activation"] = [new("activation", "relu")],
        ["layer reshape"] = [new("target_shape", new object[] { 1.0 })],
        ["layer resizing"] = [new("height", 1.0), new("width", 1.0)],
        ["layer onnx_node"] = [new("op_type", "Relu"), new("slots", new object[] { new ComponentConfig("input") }),
            new("input_shapes", new object[] { new object[] { 1.0, 3.0 } }), new("output_shape", new object[] { 1.0, 3.0 })],
        ["callback model_checkpoint"] = [new("filepath", "checkpoint.sparta")],
        ["pruner percentile"] = [new("percentile", 25.0)],
    };

    /// <summary>A kind of component, documented under <paramref name="Heading"/> of docs/<paramref name="Page"/>.</summary>
    public sealed record Kind(string Heading, string Label, IEnumerable<string> Names, Func<ComponentConfig, object> Create, string Page = "experiment-file.md")
    {
        public override string ToString() => Heading;
    }

    private static readonly Kind[] AllKinds =
    [
        new("### Layers", "layer", LayerRegistry.Registry.Names, c => LayerRegistry.Registry.Create(c)),
        new("### Activations", "activation", ActivationRegistry.Registry.Names, c => ActivationRegistry.Registry.Create(c)),
        new("### Initializers", "initializer", InitializerRegistry.Registry.Names, c => InitializerRegistry.Registry.Create(c)),
        new("### Regularizers", "regularizer", RegularizerRegistry.Registry.Names, c => RegularizerRegistry.Registry.Create(c)),
        new("## Losses", "loss", LossRegistry.Registry.Names, c => LossRegistry.Registry.Create(c)),
        new("## Metrics", "metric", MetricRegistry.Registry.Names, c => MetricRegistry.Registry.Create(c)),
        new("## Optimizers", "optimizer", OptimizerRegistry.Registry.Names, c => OptimizerRegistry.Registry.Create(c)),
        new("### Learning-rate schedules", "schedule", ScheduleRegistry.Registry.Names, c => ScheduleRegistry.Registry.Create(c)),
        new("## Callbacks", "callback", CallbackRegistry.Registry.Names, c => CallbackRegistry.Registry.Create(c)),
        new("### Zoo models", "zoo model", Sparta.Models.ZooRegistry.Registry.Names, c => Sparta.Models.ZooRegistry.Registry.Create(c)),
        new("### Samplers", "sampler", SamplerRegistry.Registry.Names, c => SamplerRegistry.Registry.Create(c)),
        new("### Pruners", "pruner", PrunerRegistry.Registry.Names, c => PrunerRegistry.Registry.Create(c)),
        // docs/tuning.md describes the samplers and pruners at length, and lists their parameters too.
        new("## Samplers", "sampler", SamplerRegistry.Registry.Names, c => SamplerRegistry.Registry.Create(c), "tuning.md"),
        new("## Pruners", "pruner", PrunerRegistry.Registry.Names, c => PrunerRegistry.Registry.Create(c), "tuning.md"),
    ];

    public static TheoryData<Kind> Kinds => new(AllKinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryRegisteredComponentHasARowNamingEveryParameterItReads(Kind kind)
    {
        var rows = Rows(Section(kind.Heading, kind.Page));
        foreach (string name in kind.Names)
        {
            Assert.True(rows.TryGetValue(name, out string? row), $"{kind.Label} '{name}' has no row under '{kind.Heading}' in docs/{kind.Page}");
            foreach (string key in KnownKeys(kind, name))
                Assert.True(row!.Contains($"`{key}`"), $"{kind.Label} '{name}': parameter '{key}' is not in its row under '{kind.Heading}' in docs/{kind.Page}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryComponentThePageListsIsRegistered(Kind kind)
    {
        var registered = kind.Names.ToHashSet();
        foreach (string listed in Rows(Section(kind.Heading, kind.Page)).Keys)
            Assert.True(registered.Contains(listed), $"docs/{kind.Page} lists {kind.Label} '{listed}' under '{kind.Heading}', which is not registered");
    }

    [Fact]
    public void ProbingFindsTheKeysTheCodeReads()
    {
        // The probes must see real keys, or the tests above would pass on empty lists.
        Assert.Equal(["alpha"], KnownKeys(AllKinds.Single(k => k.Label == "activation"), "elu"));
        Assert.Contains("learning_rate", KnownKeys(AllKinds.Single(k => k.Label == "optimizer"), "adam"));
        Assert.Contains("batch_size", ValidKeys($"{Probe}: 1\n{Minimal}"));
        Assert.Contains("validation_split", ValidKeys($"data: {{dataset: fashion-mnist, {Probe}: 1}}\nmodel: {{layers: [flatten]}}\nloss: mse\n"));
    }

    private const string Minimal = "data: {dataset: fashion-mnist}\nmodel: {layers: [flatten]}\nloss: mse\n";

    public static TheoryData<string, string> Mappings => new()
    {
        { "## Top level", $"{Probe}: 1\n{Minimal}" },
        { "## `data`", $"data: {{dataset: fashion-mnist, {Probe}: 1}}\nmodel: {{layers: [flatten]}}\nloss: mse\n" },
        { "### `data.train` and `data.test`", $"data: {{train: {{inputs: x.npy, targets: y.npy, {Probe}: 1}}}}\nmodel: {{layers: [flatten]}}\nloss: mse\n" },
        { "## `model`", $"data: {{dataset: fashion-mnist}}\nmodel: {{layers: [flatten], {Probe}: 1}}\nloss: mse\n" },
        { "## `diagnostics`", $"diagnostics: {{{Probe}: 1}}\n{Minimal}" },
        { "### Blocks", $"data: {{dataset: fashion-mnist}}\nmodel: {{blocks: {{b: {{layers: [flatten], {Probe}: 1}}}}, layers: [flatten]}}\nloss: mse\n" },
        { "## `cross_validation`", $"cross_validation: {{{Probe}: 1}}\n{Minimal}" },
        { "## `ensemble`", $"ensemble: {{{Probe}: 1}}\n{Minimal}" },
        { "## `search`", $"search: {{{Probe}: 1}}\n{Minimal}" },
        { "### `lsuv`", $"data: {{dataset: fashion-mnist}}\nmodel: {{layers: [flatten], lsuv: {{{Probe}: 1}}}}\nloss: mse\n" },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void EveryKeyTheReaderAcceptsHasARow(string heading, string yaml)
    {
        var rows = Rows(Section(heading));
        foreach (string key in ValidKeys(yaml))
            Assert.True(rows.ContainsKey(key), $"key '{key}' has no row under '{heading}' in docs/experiment-file.md");
    }

    [Fact]
    public void EveryDatasetIsListed()
    {
        var rows = Rows(Section("## `data`"));
        foreach (string name in DatasetRegistry.Names) Assert.True(rows.ContainsKey(name), $"dataset '{name}' is not listed under '## `data`'");
    }

    [Fact]
    public void EveryPreprocessingStepHasARowNamingEveryParameterItReads()
    {
        var rows = Rows(Section("### Preprocessing"));
        foreach (string step in Preprocessor.Names)
        {
            Assert.True(rows.TryGetValue(step, out string? row), $"preprocessing step '{step}' has no row under '### Preprocessing'");
            var e = Assert.Throws<ArgumentException>(() => Preprocessor.Create(new PreprocessorConfig(step, new Dictionary<string, string> { [Probe] = "1" })));
            foreach (string key in ListedAfter(e.Message, "closest valid names: "))
                Assert.True(row!.Contains($"`{key}`"), $"preprocessing step '{step}': parameter '{key}' is not in its row");
        }
        Assert.Equal(Preprocessor.Names.Order(), rows.Keys.Order());
    }

    [Fact]
    public void EveryAugmentationParameterHasARow()
    {
        var rows = Rows(Section("### Augmentation"));
        foreach (string key in AugmentationParameters.Names) Assert.True(rows.ContainsKey(key), $"augmentation parameter '{key}' has no row under '### Augmentation'");
        Assert.Equal(AugmentationParameters.Names.Order(), rows.Keys.Order());
    }

    [Fact]
    public void EveryDistributionKindIsDocumented()
    {
        string section = string.Join("\n", Section("## Search spaces"));
        foreach (string kind in SearchParameter.KindNames) Assert.Contains($"{{{kind}: [", section);
    }

    /// <summary>The keys a component reads: an unknown key makes it list them (the required ones are supplied first).</summary>
    private static IReadOnlyCollection<string> KnownKeys(Kind kind, string name)
    {
        var parameters = Required.GetValueOrDefault($"{kind.Label} {name}", []).Append(new(Probe, 1.0));
        var e = Record.Exception(() => kind.Create(new ComponentConfig(name, parameters)));
        var unknown = Assert.IsType<ConfigKeyException>(e, exactMatch: true);
        return unknown.KnownKeys ?? throw new InvalidOperationException(
            $"{kind.Label} '{name}' failed before its unknown-key check ({unknown.Message}); add its required arguments to {nameof(Required)}");
    }

    /// <summary>
    /// The keys a mapping of the experiment file accepts, from the reader's message for the probe key:
    /// "valid keys: a, b, c", or for three keys or fewer "did you mean 'a' or 'b'?".
    /// </summary>
    private static IReadOnlyList<string> ValidKeys(string yaml)
    {
        var e = Assert.Throws<ExperimentException>(() => Experiment.Parse(yaml));
        Assert.Contains(Probe, e.Message);
        return e.Message.Contains("valid keys: ", StringComparison.Ordinal)
            ? ListedAfter(e.Message, "valid keys: ")
            : QuotedAfter(e.Message, "did you mean ");
    }

    private static IReadOnlyList<string> QuotedAfter(string message, string marker)
    {
        int at = message.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"expected '{marker}' in: {message}");
        return SingleQuoted().Matches(message[at..]).Select(m => m.Groups[1].Value).ToList();
    }

    private static IReadOnlyList<string> ListedAfter(string message, string marker)
    {
        int at = message.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"expected '{marker}' in: {message}");
        return message[(at + marker.Length)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The lines under a heading, up to the next heading of any level.</summary>
    private static IReadOnlyList<string> Section(string heading, string page = "experiment-file.md")
    {
        string[] lines = page == "experiment-file.md" ? Page : Document(page);
        int start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"docs/{page} has no heading '{heading}'");
        return lines.Skip(start + 1).TakeWhile(line => !line.StartsWith('#')).ToList();
    }

    /// <summary>Table rows by each name written in back quotes in their first cell (aliases share a row).</summary>
    private static Dictionary<string, string> Rows(IEnumerable<string> lines)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            string firstCell = line.Split('|')[1];
            foreach (Match name in QuotedName().Matches(firstCell)) rows[name.Groups[1].Value] = line;
        }
        return rows;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex SingleQuoted();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex QuotedName();
}
