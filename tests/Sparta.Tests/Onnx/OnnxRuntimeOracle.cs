using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Tests.Onnx;

/// <summary>ONNX Runtime, the reference for ONNX files: runs one on named float inputs, one thread.</summary>
internal static class OnnxRuntimeOracle
{
    public static Tensor Run(string path, IReadOnlyDictionary<string, Tensor> inputs) => RunOutputs(path, inputs).First().Value;

    /// <summary>Every output of the graph by name, in the graph's order.</summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> RunOutputs(string path, IReadOnlyDictionary<string, Tensor> inputs) =>
        RunOutputs(path, inputs.Select(p => NamedOnnxValue.CreateFromTensor(p.Key, new DenseTensor<float>(p.Value.ToArray(), p.Value.Shape.ToArray()))).ToList());

    /// <summary>Runs the file on CSV columns by name: each a (rows, 1) tensor, of floats for a numeric column, of strings for a text one.</summary>
    public static Tensor RunColumns(string path, IReadOnlyDictionary<string, double[]> numeric, IReadOnlyDictionary<string, string[]> text) =>
        RunOutputs(path, numeric.Select(p => NamedOnnxValue.CreateFromTensor(p.Key, new DenseTensor<float>(p.Value.Select(v => (float)v).ToArray(), [p.Value.Length, 1])))
            .Concat(text.Select(p => NamedOnnxValue.CreateFromTensor(p.Key, new DenseTensor<string>(p.Value, [p.Value.Length, 1])))).ToList()).First().Value;

    private static IReadOnlyList<KeyValuePair<string, Tensor>> RunOutputs(string path, List<NamedOnnxValue> values)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        using var results = session.Run(values);
        // An int64 output (MaxPool's Indices) as the floats Sparta holds it in.
        return results.Select(r => r.Value is Tensor<long> longs
            ? KeyValuePair.Create(r.Name, Tensor.FromArray(longs.ToArray().Select(v => (float)v).ToArray(), longs.Dimensions.ToArray()))
            : KeyValuePair.Create(r.Name, Tensor.FromArray(r.AsTensor<float>().ToArray(), r.AsTensor<float>().Dimensions.ToArray()))).ToArray();
    }

    /// <summary>Asserts |actual − expected| ≤ 1e-5 relative to the largest expected magnitude (at least 1e-5 absolute).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, double relative = 1e-5)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        var e = expected.Span;
        var a = actual.Span;
        double scale = 0;
        for (int i = 0; i < e.Length; i++) scale = Math.Max(scale, Math.Abs(e[i]));
        double tolerance = relative * Math.Max(scale, 1);
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"{what}[{i}]: expected {e[i]}, got {a[i]} (tolerance {tolerance})");
    }
}
