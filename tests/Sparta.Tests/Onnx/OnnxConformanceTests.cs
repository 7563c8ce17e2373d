using System.Text.RegularExpressions;
using Google.Protobuf;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Experiments;
using Xunit.Abstractions;
using Proto = global::Onnx;

namespace Sparta.Tests.Onnx;

/// <summary>
/// ONNX's own backend test cases (Debian's libonnx-testdata): every case whose operators Sparta
/// supports is imported and run on its input protobufs, and must give its output protobuf (ONNX's
/// tolerance, rtol 1e-3, atol 1e-7), or be refused in one line naming what is unsupported (an
/// attribute such as dilations). Never a wrong number. docs/onnx.md lists exactly the cases passed.
/// </summary>
public class OnnxConformanceTests(ITestOutputHelper output)
{
    private const string Root = "/usr/share/libonnx-testdata/data";

    /// <summary>A case's result: passed, refused in one line (<see cref="Refusal"/>), or wrong (<see cref="Error"/>: a bad number, shape or crash).</summary>
    public sealed record Outcome(string Case, string? Refusal = null, string? Error = null)
    {
        public bool Passed => Refusal is null && Error is null;
    }

    public static IEnumerable<string> CaseDirectories() =>
        new[] { "node", "pytorch-converted" }.SelectMany(suite => Directory.GetDirectories(Path.Combine(Root, suite), "test_*")
            .Where(d => File.Exists(Path.Combine(d, "model.onnx")))
            .OrderBy(d => d, StringComparer.Ordinal));

    /// <summary>Whether every operator of the case's graph is one Sparta supports.</summary>
    public static bool Supported(string directory)
    {
        var model = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(directory, "model.onnx")));
        return model.Graph.Node.All(n => n.OpType == "Constant" || OnnxOperators.IsSupported(n.OpType));
    }

    public static Outcome Run(string directory)
    {
        string name = $"{Path.GetFileName(Path.GetDirectoryName(directory))}/{Path.GetFileName(directory)}";
        string path = Path.Combine(directory, "model.onnx");
        var proto = Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var initializers = proto.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var graphInputs = proto.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToArray();
        string data = Path.Combine(directory, "test_data_set_0");
        // An input this test cannot read as a tensor (a string, an optional, a sequence) is data: Sparta's import says whether it takes it.
        var values = graphInputs.Select((input, k) => TryRead(Path.Combine(data, $"input_{k}.pb"))).ToArray();
        // Integer inputs read as numbers (shapes, axes, indices, bounds) are parameters of the case, not data: fixed at import.
        var fixedInputs = new Dictionary<string, Tensor>();
        var dataInputs = new List<Tensor?>();
        for (int k = 0; k < graphInputs.Length; k++)
        {
            if (values[k] is { } value && !IsData(proto.Graph, graphInputs[k], value)) fixedInputs[graphInputs[k].Name] = value;
            else dataInputs.Add(values[k]);
        }
        Sparta.Models.Model model;
        try { model = OnnxImport.Load(path, fixedInputs); }
        catch (OnnxException refusal) { return new Outcome(name, Refusal: refusal.Message); }
        if (dataInputs.Contains(null)) return new Outcome(name, Error: "imported, but its input data cannot be read as tensors");
        IReadOnlyList<Tensor> actual;
        try { actual = model.ForwardOutputs(dataInputs!); }
        catch (Exception e) { return new Outcome(name, Error: $"{e.GetType().Name}: {e.Message}"); }
        for (int k = 0; k < proto.Graph.Output.Count; k++)
        {
            var (want, type) = Read(Path.Combine(data, $"output_{k}.pb"));
            var got = actual[k];
            if (want.Shape != got.Shape) return new Outcome(name, Error: $"output {k} has shape {got.Shape}, expected {want.Shape}");
            bool integer = !OnnxTensors.IsFloat(type);
            for (int i = 0; i < want.Size; i++)
            {
                float w = want.Span[i], g = got.Span[i];
                bool close = integer ? g == w : Math.Abs(g - w) <= 1e-7 + 1e-3 * Math.Abs(w) || float.IsNaN(w) && float.IsNaN(g);
                if (!close) return new Outcome(name, Error: $"output {k}[{i}] = {g}, expected {w}");
            }
        }
        return new Outcome(name);
    }

    /// <summary>
    /// A float input of at least one axis, or an input of another type (an integer image, a string) that no node
    /// reads as a number (a shape, bounds): the data the case runs on; every other input is a parameter.
    /// </summary>
    private static bool IsData(Proto.GraphProto graph, Proto.ValueInfoProto input, Tensor value)
    {
        if (input.Type?.TensorType is not { } type) return true;
        if (OnnxTensors.IsFloat(type.ElemType)) return value.Rank > 0;
        return graph.Node.All(n => !n.Input.Select((name, i) => (name, i))
            .Any(p => p.name == input.Name && OnnxOperators.ReadsAsNumbers(n.OpType, p.i)));
    }

    /// <summary>The tensor a protobuf file holds, or null when it holds another kind of value or a type Sparta has no form of.</summary>
    private static Tensor? TryRead(string path)
    {
        try { return Read(path).Tensor; }
        catch (Exception e) when (e is OnnxException or InvalidProtocolBufferException) { return null; }
    }

    private static (Tensor Tensor, int DataType) Read(string path)
    {
        var tensor = Proto.TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return (OnnxTensors.Read(tensor, Path.GetFileName(path)), tensor.DataType);
    }

    /// <summary>Every case of every supported operator, run once for the tests of this class.</summary>
    private static readonly Lazy<Outcome[]> Outcomes = new(() => CaseDirectories().Where(Supported).Select(Run).ToArray());

    /// <summary>Every case of every supported operator passes or is refused by name; the documented list of passed cases is exactly the list that passes.</summary>
    [Fact]
    public void EveryCaseOfEverySupportedOperatorPassesOrIsRefusedInOneLine()
    {
        var outcomes = Outcomes.Value;
        foreach (var o in outcomes.Where(o => !o.Passed))
            output.WriteLine(o.Error is null ? $"refused {o.Case}: {o.Refusal}" : $"WRONG {o.Case}: {o.Error}");
        Assert.All(outcomes, o => Assert.True(o.Error is null, $"{o.Case}: {o.Error}"));
        Assert.All(outcomes.Where(o => o.Refusal is not null), o => Assert.DoesNotContain('\n', o.Refusal!));
        var passed = outcomes.Where(o => o.Passed).Select(o => o.Case).ToArray();
        output.WriteLine($"{passed.Length} passed, {outcomes.Length - passed.Length} refused");
        foreach (string p in passed) output.WriteLine($"passed {p}");
        var documented = Regex.Matches(DocsSection("Cases passed"), @"`((?:node|pytorch-converted)/test_\w+)`").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(passed.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// docs/onnx.md's table of refused cases names exactly the cases refused, each with the line Sparta refuses it
    /// with, word for word after the file's path.
    /// </summary>
    [Fact]
    public void TheDocsGiveEachRefusedCaseWithItsOneLine()
    {
        var refused = Outcomes.Value.Where(o => o.Refusal is not null).ToDictionary(o => o.Case, o => Line(o));
        var documented = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in Regex.Matches(DocsSection("Cases refused"), @"^\| (?<cases>`[^|]+`) \| `(?<line>[^`]+)` \|$", RegexOptions.Multiline))
            foreach (Match name in Regex.Matches(row.Groups["cases"].Value, @"`((?:node|pytorch-converted)/test_\w+)`"))
                documented.Add(name.Groups[1].Value, row.Groups["line"].Value);
        foreach (var (name, line) in refused.OrderBy(r => r.Value, StringComparer.Ordinal)) output.WriteLine($"| `{name}` | `{line}` |");
        Assert.Equal(refused.Keys.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        Assert.All(refused, r => Assert.Equal(r.Value, documented[r.Key]));
    }

    /// <summary>A refusal without the model file's path it starts with.</summary>
    private static string Line(Outcome outcome)
    {
        string prefix = Path.Combine(Root, outcome.Case, "model.onnx") + ": ";
        Assert.StartsWith(prefix, outcome.Refusal);
        return outcome.Refusal![prefix.Length..];
    }

    /// <summary>The text of docs/onnx.md under the heading <paramref name="heading"/>, to the next heading.</summary>
    private static string DocsSection(string heading)
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "onnx.md"));
        var section = Regex.Match(docs, $@"^#+ {Regex.Escape(heading)}\n(?<text>.*?)(?=^#|\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, $"docs/onnx.md has no section '{heading}'");
        return section.Groups["text"].Value;
    }

    /// <summary>docs/onnx.md names every supported operator.</summary>
    [Fact]
    public void TheDocsListEverySupportedOperator()
    {
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "onnx.md"));
        foreach (string op in OnnxOperators.Names.Append("Constant"))
            Assert.Contains($"`{op}`", docs);
    }
}
