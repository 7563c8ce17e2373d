using System.Text.RegularExpressions;
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
        Sparta.Models.Model model;
        (Tensor Tensor, int DataType)[] expected;
        var dataInputs = new List<Tensor>();
        try
        {
            var values = graphInputs.Select((input, k) => Read(Path.Combine(data, $"input_{k}.pb"))).ToArray();
            expected = Enumerable.Range(0, proto.Graph.Output.Count).Select(k => Read(Path.Combine(data, $"output_{k}.pb"))).ToArray();
            // Integer inputs read as numbers (shapes, axes, indices, bounds) are parameters of the case, not data: fixed at import.
            var fixedInputs = new Dictionary<string, Tensor>();
            for (int k = 0; k < graphInputs.Length; k++)
            {
                if (IsData(proto.Graph, graphInputs[k], values[k].Tensor)) dataInputs.Add(values[k].Tensor);
                else fixedInputs[graphInputs[k].Name] = values[k].Tensor;
            }
            model = OnnxImport.Load(path, fixedInputs);
        }
        catch (OnnxException refusal) { return new Outcome(name, Refusal: refusal.Message); }
        IReadOnlyList<Tensor> actual;
        try { actual = model.ForwardOutputs(dataInputs); }
        catch (Exception e) { return new Outcome(name, Error: $"{e.GetType().Name}: {e.Message}"); }
        for (int k = 0; k < expected.Length; k++)
        {
            var (want, got) = (expected[k].Tensor, actual[k]);
            if (want.Shape != got.Shape) return new Outcome(name, Error: $"output {k} has shape {got.Shape}, expected {want.Shape}");
            bool integer = !OnnxTensors.IsFloat(expected[k].DataType);
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
    /// A float input of at least one axis, or one of 8- or 16-bit integers that no node reads as a
    /// number (a shape, bounds): the data the case runs on; every other input is a parameter.
    /// </summary>
    private static bool IsData(Proto.GraphProto graph, Proto.ValueInfoProto input, Tensor value)
    {
        int type = input.Type.TensorType.ElemType;
        if (OnnxTensors.IsFloat(type)) return value.Rank > 0;
        return OnnxTensors.IsSmallInteger(type) && graph.Node.All(n => !n.Input.Select((name, i) => (name, i))
            .Any(p => p.name == input.Name && OnnxOperators.IsDataInput(n.OpType, p.i)));
    }

    private static (Tensor Tensor, int DataType) Read(string path)
    {
        var tensor = Proto.TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return (OnnxTensors.Read(tensor, Path.GetFileName(path)), tensor.DataType);
    }

    /// <summary>Every case of every supported operator passes or is refused by name; the documented list of passed cases is exactly the list that passes.</summary>
    [Fact]
    public void EveryCaseOfEverySupportedOperatorPassesOrIsRefusedInOneLine()
    {
        var outcomes = CaseDirectories().Where(Supported).Select(Run).ToArray();
        foreach (var o in outcomes.Where(o => !o.Passed))
            output.WriteLine(o.Error is null ? $"refused {o.Case}: {o.Refusal}" : $"WRONG {o.Case}: {o.Error}");
        Assert.All(outcomes, o => Assert.True(o.Error is null, $"{o.Case}: {o.Error}"));
        Assert.All(outcomes.Where(o => o.Refusal is not null), o => Assert.DoesNotContain('\n', o.Refusal!));
        var passed = outcomes.Where(o => o.Passed).Select(o => o.Case).ToArray();
        output.WriteLine($"{passed.Length} passed, {outcomes.Length - passed.Length} refused");
        foreach (string p in passed) output.WriteLine($"passed {p}");
        string docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "onnx.md"));
        var documented = Regex.Matches(docs, @"`((?:node|pytorch-converted)/test_\w+)`").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(passed.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
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
