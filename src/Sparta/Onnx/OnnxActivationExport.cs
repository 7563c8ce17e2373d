using Sparta.Activations;
using Sparta.Tensors;
using static Sparta.Onnx.OnnxGraphWriter;

namespace Sparta.Onnx;

/// <summary>Writes an activation as ONNX operators: one where ONNX has it, composed where it has none (Swish, Maxout).</summary>
internal static class OnnxActivationExport
{
    /// <summary>The activation of <paramref name="input"/>, whose shape is <paramref name="inputShape"/> (no batch axis); returns the output's name.</summary>
    public static string Write(OnnxGraphWriter graph, Activation activation, string input, Shape inputShape, string hint) => activation switch
    {
        Linear => input,
        Relu => graph.Node("Relu", hint, input),
        Sigmoid => graph.Node("Sigmoid", hint, input),
        Tanh => graph.Node("Tanh", hint, input),
        Softplus => graph.Node("Softplus", hint, input),
        LeakyRelu leaky => graph.Node("LeakyRelu", hint, input, Float("alpha", leaky.Alpha)),
        Elu elu => graph.Node("Elu", hint, input, Float("alpha", elu.Alpha)),
        Swish => graph.Node("Mul", hint, [input, graph.Node("Sigmoid", hint + "_sigmoid", input)]),
        Softmax softmax => graph.Node("Softmax", hint, input, Int("axis", softmax.Axis)),
        PRelu prelu => graph.Node("PRelu", hint, [input, Slope(graph, prelu, inputShape, hint)]),
        Maxout maxout => WriteMaxout(graph, maxout, input, inputShape, hint),
        _ => throw new OnnxException($"onnx export: activation '{activation.Name}' has no ONNX form"),
    };

    /// <summary>PReLU's slopes as (C, 1, ...): ONNX broadcasts the slope from the right, Sparta has one per channel (axis 1).</summary>
    private static string Slope(OnnxGraphWriter graph, PRelu prelu, Shape inputShape, string hint)
    {
        var alpha = prelu.Alpha ?? throw new InvalidOperationException($"activation 'prelu' of '{hint}': not built");
        var dims = Enumerable.Repeat(1, inputShape.Rank).ToArray();
        dims[0] = inputShape[0];
        return graph.Constant(hint + "_slope", alpha.Value.Span, dims);
    }

    /// <summary>(N, C·k, rest...) → (N, C, k, R) → the largest of each k → (N, C, rest...).</summary>
    private static string WriteMaxout(OnnxGraphWriter graph, Maxout maxout, string input, Shape inputShape, string hint)
    {
        var output = maxout.OutputShape(inputShape);
        int channels = output[0], rest = inputShape.SizeFrom(1);
        var grouped = graph.Node("Reshape", hint + "_groups", [input, graph.Int64s(hint + "_group_shape", 0, channels, maxout.Pieces, rest)]);
        var largest = graph.Node("ReduceMax", hint + "_max", grouped, Ints("axes", 2), Int("keepdims", 0));
        long[] shape = [0, .. output.ToArray().Select(d => (long)d)];
        return graph.Node("Reshape", hint, [largest, graph.Int64s(hint + "_shape", shape)]);
    }
}
