using Sparta.Autograd;
using Sparta.Tensors;

namespace Sparta.Onnx;

/// <summary>
/// The ONNX operators Sparta runs, each written with Sparta's taped ops so an imported network
/// trains: gradients reach every parameter. One entry per operator; the families live in the
/// partial files beside this one (shapes, convolution and pooling, reductions and products).
/// </summary>
internal static partial class OnnxOperators
{
    private static readonly Dictionary<string, Func<OnnxOpContext, Tensor>> Table = Build();

    /// <summary>The operator types supported, in the default ONNX domain.</summary>
    public static IReadOnlyCollection<string> Names => Table.Keys;

    public static bool IsSupported(string opType) => Table.ContainsKey(opType);

    /// <summary>Inputs read as numbers (a shape, axes, pads, clip bounds, a dropout's ratio and mode), never differentiated: an initializer there stays a constant, not a parameter.</summary>
    public static bool ReadsAsNumbers(string opType, int input) => input > 0 && opType switch
    {
        "Reshape" or "Unsqueeze" or "Squeeze" or "Pow" or "Expand" or "Tile" => true,
        "Clip" or "Pad" or "Slice" or "Gather" or "ReduceSum" or "ReduceMean" or "ReduceMax" or "ReduceMin" or "Dropout" => true,
        _ => false,
    };

    /// <summary>The outputs after the first that an operator computes, by operator and output index.</summary>
    private static readonly Dictionary<(string OpType, int Output), Func<OnnxOpContext, Tensor>> LaterOutputs = new()
    {
        [("MaxPool", 1)] = MaxPoolIndices,
    };

    /// <summary>Whether the operator's output <paramref name="output"/> is computed (every operator's first one is).</summary>
    public static bool HasOutput(string opType, int output) => output == 0 ? IsSupported(opType) : LaterOutputs.ContainsKey((opType, output));

    /// <summary>
    /// Operators exact on integers held as floats (8- and 16-bit values are exact in float): they move,
    /// compare or select values and never compute new ones, so no rounding or wrap-around can differ.
    /// </summary>
    public static bool KeepsIntegers(string opType) => opType is "Identity" or "Dropout" or "Relu" or "Max" or "Min" or "Clip"
        or "MaxPool" or "GlobalMaxPool" or "ReduceMax" or "ReduceMin" or "Reshape" or "Flatten" or "Transpose" or "Concat"
        or "Squeeze" or "Unsqueeze" or "Slice" or "Gather" or "Pad" or "Expand" or "Tile" or "Cast";

    public static Tensor Run(OnnxOpContext context) =>
        context.Output == 0 ? Table[context.OpType](context) : LaterOutputs[(context.OpType, context.Output)](context);

    private static Dictionary<string, Func<OnnxOpContext, Tensor>> Build()
    {
        var table = new Dictionary<string, Func<OnnxOpContext, Tensor>>(StringComparer.Ordinal)
        {
            ["Identity"] = c => c.Input(0),
            ["Dropout"] = c => c.Scalar(2, 0f) == 0 ? c.Input(0) : throw c.Fail("training_mode true is not supported (inference is the identity)"),
            ["Relu"] = c => c.Input(0).Relu(),
            ["Sigmoid"] = c => c.Input(0).Sigmoid(),
            ["Tanh"] = c => c.Input(0).Tanh(),
            ["Exp"] = c => c.Input(0).Exp(),
            ["Log"] = c => c.Input(0).Log(),
            ["Sqrt"] = c => c.Input(0).Sqrt(),
            ["Abs"] = c => c.Input(0).Abs(),
            ["Neg"] = c => -c.Input(0),
            ["Reciprocal"] = c => 1f / c.Input(0),
            ["Softplus"] = c => c.Input(0).Softplus(),
            ["Softsign"] = c => c.Input(0) / (c.Input(0).Abs() + 1f),
            ["LeakyRelu"] = c => c.Input(0).LeakyRelu((float)c.Attributes.Float("alpha", 0.01)),
            ["Elu"] = c => c.Input(0).Elu((float)c.Attributes.Float("alpha", 1)),
            ["Selu"] = c => c.Input(0).Elu((float)c.Attributes.Float("alpha", 1.67326319217681884765625)) * (float)c.Attributes.Float("gamma", 1.05070102214813232421875),
            ["Celu"] = Celu,
            ["HardSigmoid"] = c => HardSigmoid(c.Input(0), (float)c.Attributes.Float("alpha", 0.2), (float)c.Attributes.Float("beta", 0.5)),
            ["HardSwish"] = c => c.Input(0) * HardSigmoid(c.Input(0), 1f / 6, 0.5f),
            ["ThresholdedRelu"] = c => Ops.Where(Mask(c.Input(0), v => v > (float)c.Attributes.Float("alpha", 1)), c.Input(0), Tensor.Zeros(c.Input(0).Shape)),
            ["PRelu"] = c => PRelu(c.Input(0), c.Input(1)),
            ["Clip"] = Clip,
            ["Add"] = c => c.Input(0) + c.Input(1),
            ["Sub"] = c => c.Input(0) - c.Input(1),
            ["Mul"] = c => c.Input(0) * c.Input(1),
            ["Div"] = c => c.Input(0) / c.Input(1),
            ["Pow"] = c => c.Input(0).Pow(c.Scalar(1, 1)),
            ["Sum"] = c => c.All.Aggregate((a, b) => a + b),
            ["Mean"] = c => c.All.Aggregate((a, b) => a + b) * (1f / c.All.Count),
            ["Max"] = c => c.All.Aggregate(Ops.Maximum),
            ["Min"] = c => -c.All.Select(t => -t).Aggregate(Ops.Maximum),
        };
        AddShapeOperators(table);
        AddConvolutionOperators(table);
        AddReductionOperators(table);
        return table;
    }

    /// <summary>max(0, x) + min(0, α·(exp(x/α) − 1)) = α·elu(x/α).</summary>
    private static Tensor Celu(OnnxOpContext c)
    {
        float alpha = (float)c.Attributes.Float("alpha", 1);
        return (c.Input(0) * (1f / alpha)).Elu(1f) * alpha;
    }

    private static Tensor HardSigmoid(Tensor x, float alpha, float beta) => (x * alpha + beta).Clamp(0f, 1f);

    /// <summary>max(0, x) + slope·min(0, x), the slope broadcast from the right (ONNX's unidirectional rule).</summary>
    private static Tensor PRelu(Tensor x, Tensor slope)
    {
        var positive = x.Relu();
        return positive + slope * (x - positive);
    }

    /// <summary>Bounds from attributes before opset 11, from optional inputs after.</summary>
    private static Tensor Clip(OnnxOpContext c) => c.Opset < 11
        ? c.Input(0).Clamp((float)c.Attributes.Float("min", float.NegativeInfinity), (float)c.Attributes.Float("max", float.PositiveInfinity))
        : c.Input(0).Clamp(c.Scalar(1, float.NegativeInfinity), c.Scalar(2, float.PositiveInfinity));

    /// <summary>A constant 0/1 tensor where <paramref name="keep"/> holds for x's values (a condition carries no gradient).</summary>
    private static Tensor Mask(Tensor x, Func<float, bool> keep)
    {
        var mask = Tensor.Uninitialized(x.Shape);
        var source = x.Span;
        var target = mask.Span;
        for (int i = 0; i < target.Length; i++) target[i] = keep(source[i]) ? 1f : 0f;
        return mask;
    }
}
