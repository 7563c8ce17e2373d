using Sparta.Data.Preprocessing;
using Sparta.Tensors;
using static Sparta.Onnx.OnnxGraphWriter;

namespace Sparta.Onnx;

/// <summary>
/// Writes a fitted preprocessing pipeline as the first nodes of the graph, so the ONNX model takes
/// the raw samples <c>sparta predict</c> takes.
/// </summary>
internal static class OnnxPreprocessingExport
{
    /// <summary>The pipeline's steps on <paramref name="input"/>; returns the name of the transformed value.</summary>
    public static string Write(OnnxGraphWriter graph, PreprocessingPipeline pipeline, string input, string hint)
    {
        for (int i = 0; i < pipeline.Steps.Count; i++)
        {
            var step = pipeline.Steps[i];
            string name = $"{hint}_{step.Name}";
            input = step switch
            {
                GroupAffine affine => WriteAffine(graph, affine, input, name),
                SampleNormalize normalize => WriteSampleNormalize(graph, normalize, input, name),
                Pca pca => WriteProjection(graph, pca.Mean, pca.Projection(), pca.ComponentCount, null, input, name),
                Zca zca => WriteProjection(graph, zca.Mean, zca.Projection(), zca.Mean.Length, zca.SampleShape, input, name),
                _ => throw new OnnxException($"onnx export: preprocessing step '{step.Name}' of input '{hint}' has no ONNX form"),
            };
        }
        return input;
    }

    /// <summary>x·scale + bias, the scale and bias shaped to broadcast over their groups (features, channels or all).</summary>
    private static string WriteAffine(OnnxGraphWriter graph, GroupAffine step, string input, string hint)
    {
        var sample = step.SampleShape;
        int[] dims = step.Scope switch
        {
            StatisticsScope.Feature => sample.ToArray(),
            StatisticsScope.Channel => [sample[0], .. Enumerable.Repeat(1, sample.Rank - 1)],
            _ => [],
        };
        var (scale, bias) = step.Affine;
        string scaled = graph.Node("Mul", hint + "_scale", [input, graph.Constant(hint + "_scale_values", scale, dims)]);
        return graph.Node("Add", hint, [scaled, graph.Constant(hint + "_bias_values", bias, dims)]);
    }

    /// <summary>(x − mean(x)) / (std(x) + ε) over each sample's values.</summary>
    private static string WriteSampleNormalize(OnnxGraphWriter graph, SampleNormalize step, string input, string hint)
    {
        long[] axes = Enumerable.Range(1, step.SampleShape.Rank).Select(a => (long)a).ToArray();
        string mean = graph.Node("ReduceMean", hint + "_mean", input, Ints("axes", axes), Int("keepdims", 1));
        string centered = graph.Node("Sub", hint + "_centered", [input, mean]);
        string variance = graph.Node("ReduceMean", hint + "_variance", graph.Node("Mul", hint + "_squares", [centered, centered]), Ints("axes", axes), Int("keepdims", 1));
        string deviation = graph.Node("Add", hint + "_deviation", [graph.Node("Sqrt", hint + "_std", variance), graph.Constant(hint + "_epsilon", [(float)step.Epsilon])]);
        return graph.Node("Div", hint, [centered, deviation]);
    }

    /// <summary>(flatten(x) − mean)·P, reshaped back to <paramref name="keepShape"/> when the step keeps the sample's shape (ZCA).</summary>
    private static string WriteProjection(OnnxGraphWriter graph, ReadOnlySpan<double> mean, float[] projection, int outputs, Shape? keepShape, string input, string hint)
    {
        var mean32 = new float[mean.Length];
        for (int j = 0; j < mean.Length; j++) mean32[j] = (float)mean[j];
        string flat = graph.Node("Flatten", hint + "_flat", input, Int("axis", 1));
        string centered = graph.Node("Sub", hint + "_centered", [flat, graph.Constant(hint + "_mean", mean32, mean32.Length)]);
        string projected = graph.Node("MatMul", keepShape is null ? hint : hint + "_projected", [centered, graph.Constant(hint + "_projection", projection, mean32.Length, outputs)]);
        if (keepShape is null) return projected;
        long[] shape = [0, .. keepShape.ToArray().Select(d => (long)d)];
        return graph.Node("Reshape", hint, [projected, graph.Int64s(hint + "_shape", shape)]);
    }
}
