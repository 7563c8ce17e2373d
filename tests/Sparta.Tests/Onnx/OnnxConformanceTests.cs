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
        (Tensor Tensor, int DataType) expected;
        var dataInputs = new List<Tensor>();
        try
        {
            var values = graphInputs.Select((input, k) => Read(Path.Combine(data, $"input_{k}.pb"))).ToArray();
            expected = Read(Path.Combine(data, "output_0.pb"));
            if (!OnnxTensors.IsFloat(expected.DataType)) return new Outcome(name, Refusal: "its output is not a float tensor");
            // Integer inputs (shapes, axes, indices) are parameters of the case, not data: fixed at import.
            var fixedInputs = new Dictionary<string, Tensor>();
            for (int k = 0; k < graphInputs.Length; k++)
            {
                if (OnnxTensors.IsFloat(graphInputs[k].Type.TensorType.ElemType) && values[k].Tensor.Rank > 0) dataInputs.Add(values[k].Tensor);
                else fixedInputs[graphInputs[k].Name] = values[k].Tensor;
            }
            model = OnnxImport.Load(path, fixedInputs);
        }
        catch (OnnxException refusal) { return new Outcome(name, Refusal: refusal.Message); }
        Tensor actual;
        try { actual = model.Forward(dataInputs); }
        catch (Exception e) { return new Outcome(name, Error: $"{e.GetType().Name}: {e.Message}"); }
        if (expected.Tensor.Shape != actual.Shape) return new Outcome(name, Error: $"output shape {actual.Shape}, expected {expected.Tensor.Shape}");
        var want = expected.Tensor.Span;
        var got = actual.Span;
        for (int i = 0; i < want.Length; i++)
            if (!(Math.Abs(got[i] - want[i]) <= 1e-7 + 1e-3 * Math.Abs(want[i]) || float.IsNaN(want[i]) && float.IsNaN(got[i])))
                return new Outcome(name, Error: $"output[{i}] = {got[i]}, expected {want[i]}");
        return new Outcome(name);
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
