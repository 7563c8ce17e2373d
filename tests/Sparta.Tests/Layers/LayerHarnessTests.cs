using Sparta.Activations;
using Conv2D = Sparta.Layers.Conv2D;
using Sparta.Autograd;
using Sparta.Configuration;
using ConvPadding = Sparta.Tensors.ConvPadding;
using Sparta.Layers;
using Sparta.Onnx;
using Sparta.Tensors;
using Sparta.Tests.Autograd;

namespace Sparta.Tests.Layers;

/// <summary>
/// One harness over every layer (Keras' layer test, ConvNetSharp's gradient checks): for each case
/// the output shape, the parameter count against a hand count, the config round trip through the
/// registry, one training step lowering a loss, the float forward against a double reference, and
/// the tape's gradients for inputs and parameters against central finite differences of that reference.
/// </summary>
public partial class LayerHarnessTests
{
    /// <param name="Create">A fresh, unbuilt layer.</param>
    /// <param name="Inputs">Input shapes with the batch axis.</param>
    /// <param name="Parameters">The hand count of the layer's weights (parameters and state).</param>
    /// <param name="Reference">The forward in double from the inputs and the parameters (in the layer's order).</param>
    /// <param name="Training">Run in training mode (batch statistics).</param>
    public sealed record Case(Func<Layer> Create, int[][] Inputs, long Parameters, Func<Reference[], Reference[], Reference> Reference, bool Training = false);

    private static Case Act(string name, Func<double, double> f, int[]? shape = null) =>
        new(() => new ActivationLayer(name), [shape ?? [3, 6]], 0, (x, _) => x[0].Map(f));

    private static Case Act(Activation activation, Func<Reference, Reference> f, int[] shape, long parameters = 0) =>
        new(() => new ActivationLayer(activation), [shape], parameters, (x, p) => f(x[0]));

    public static readonly Dictionary<string, Case> Cases = new()
    {
        ["dense_relu"] = new(() => new Dense(4, "relu"), [[3, 5]], 5 * 4 + 4,
            (x, p) => LayerReference.Dense(x[0], p[0], p[1], v => Math.Max(v, 0))),
        ["dense_linear_rank3"] = new(() => new Dense(3), [[2, 3, 4]], 4 * 3 + 3,
            (x, p) => LayerReference.Dense(x[0], p[0], p[1], v => v)),
        ["dense_sigmoid_no_bias"] = new(() => new Dense(4, new Sigmoid(), useBias: false), [[3, 5]], 5 * 4,
            (x, p) => LayerReference.Dense(x[0], p[0], null, LayerReference.Sigmoid)),
        ["dense_tanh"] = new(() => new Dense(4, "tanh"), [[3, 5]], 24, (x, p) => LayerReference.Dense(x[0], p[0], p[1], Math.Tanh)),
        ["dense_leaky_relu"] = new(() => new Dense(4, new LeakyRelu(0.1)), [[3, 5]], 24,
            (x, p) => LayerReference.Dense(x[0], p[0], p[1], v => v > 0 ? v : 0.1 * v)),
        ["dense_elu"] = new(() => new Dense(4, new Elu(0.5)), [[3, 5]], 24,
            (x, p) => LayerReference.Dense(x[0], p[0], p[1], v => v > 0 ? v : 0.5 * (Math.Exp(v) - 1))),
        ["dense_swish"] = new(() => new Dense(4, "swish"), [[3, 5]], 24,
            (x, p) => LayerReference.Dense(x[0], p[0], p[1], v => v * LayerReference.Sigmoid(v))),
        ["dense_softmax"] = new(() => new Dense(4, "softmax"), [[3, 5]], 24,
            (x, p) => LayerReference.Softmax(LayerReference.Dense(x[0], p[0], p[1], v => v))),
        ["dense_prelu"] = new(() => new Dense(4, new PRelu(0.3)), [[3, 5]], 24 + 4,
            (x, p) => LayerReference.PRelu(LayerReference.Dense(x[0], p[0], p[1], v => v), p[2])),
        ["dense_maxout"] = new(() => new Dense(2, new Maxout(3)), [[3, 5]], 5 * 6 + 6,
            (x, p) => LayerReference.Maxout(LayerReference.Dense(x[0], p[0], p[1], v => v), 3)),
        ["conv2d_same_relu"] = new(() => new Conv2D(3, 3, "relu", padding: "same"), [[2, 2, 5, 5]], 3 * 2 * 9 + 3,
            (x, p) => ConvReference.Conv2D(x[0], p[0], p[1], 1, ConvPadding.Same).Map(v => Math.Max(v, 0))),
        ["conv2d_valid_stride2_linear"] = new(() => new Conv2D(2, 3, strides: 2), [[2, 3, 6, 5]], 2 * 3 * 9 + 2,
            (x, p) => ConvReference.Conv2D(x[0], p[0], p[1], 2, ConvPadding.Valid)),
        ["conv2d_dilated_same_relu"] = new(() => new Conv2D(2, 3, "relu", padding: "same", dilationRate: 2), [[2, 2, 7, 6]], 2 * 2 * 9 + 2,
            (x, p) => ConvReference.DilatedConv2D(x[0], p[0], p[1], 1, ConvPadding.Same, 2).Map(v => Math.Max(v, 0))),
        ["conv2d_dilated_non_square_stride2"] = new(() => new Conv2D(2, (2, 3), (2, 1), dilationRate: (3, 2)), [[1, 2, 8, 9]], 2 * 2 * 6 + 2,
            (x, p) => ConvReference.DilatedConv2D(x[0], p[0], p[1], (2, 1), ConvPadding.Valid, (3, 2))),
        ["conv2d_no_bias_tanh"] = new(() => new Conv2D(2, 2, activation: new Tanh(), useBias: false), [[1, 2, 4, 4]], 2 * 2 * 4,
            (x, p) => ConvReference.Conv2D(x[0], p[0], null, 1, ConvPadding.Valid).Map(Math.Tanh)),
        ["conv2d_elu"] = new(() => new Conv2D(2, 3, "elu", padding: "same"), [[1, 1, 4, 4]], 2 * 9 + 2,
            (x, p) => ConvReference.Conv2D(x[0], p[0], p[1], 1, ConvPadding.Same).Map(v => v > 0 ? v : Math.Exp(v) - 1)),
        ["conv2d_maxout"] = new(() => new Conv2D(2, 3, activation: new Maxout(2), padding: "same"), [[1, 2, 4, 4]], 4 * 2 * 9 + 4,
            (x, p) => LayerReference.Maxout(ConvReference.Conv2D(x[0], p[0], p[1], 1, ConvPadding.Same), 2)),
        ["conv2d_non_square_kernel_and_stride"] = new(() => new Conv2D(2, (2, 3), (1, 2), activation: new LeakyRelu(0.1)), [[2, 2, 5, 7]], 2 * 2 * 6 + 2,
            (x, p) => ConvReference.Conv2D(x[0], p[0], p[1], (1, 2), ConvPadding.Valid).Map(v => v > 0 ? v : 0.1 * v)),
        ["conv2d_non_square_same_sigmoid"] = new(() => new Conv2D(2, (3, 1), (2, 1), "same", new Sigmoid()), [[1, 2, 5, 4]], 2 * 2 * 3 + 2,
            (x, p) => ConvReference.Conv2D(x[0], p[0], p[1], (2, 1), ConvPadding.Same).Map(LayerReference.Sigmoid)),
        ["max_pool2d"] = new(() => new MaxPool2D(), [[2, 3, 4, 6]], 0, (x, _) => ConvReference.MaxPool2D(x[0], 2, 2, ConvPadding.Valid)),
        ["max_pool2d_same_stride1"] = new(() => new MaxPool2D(3, 1, "same"), [[1, 2, 4, 5]], 0,
            (x, _) => ConvReference.MaxPool2D(x[0], 3, 1, ConvPadding.Same)),
        ["max_pool2d_non_square"] = new(() => new MaxPool2D((2, 3), (1, 2)), [[1, 2, 5, 7]], 0,
            (x, _) => ConvReference.MaxPool2D(x[0], (2, 3), (1, 2), ConvPadding.Valid)),
        ["max_pool2d_dilated"] = new(() => new MaxPool2D(2, 1, dilationRate: 2), [[2, 2, 5, 6]], 0,
            (x, _) => ConvReference.DilatedPool2D(x[0], 2, 1, ConvPadding.Valid, 2, max: true)),
        ["max_pool2d_dilated_same_non_square"] = new(() => new MaxPool2D((2, 3), (2, 1), "same", dilationRate: (3, 2)), [[1, 2, 7, 6]], 0,
            (x, _) => ConvReference.DilatedPool2D(x[0], (2, 3), (2, 1), ConvPadding.Same, (3, 2), max: true)),
        ["average_pooling2d"] = new(() => new AveragePooling2D(), [[2, 2, 4, 4]], 0,
            (x, _) => ConvReference.AveragePool2D(x[0], 2, 2, ConvPadding.Valid)),
        ["average_pooling2d_same"] = new(() => new AveragePooling2D(3, 2, "same"), [[1, 2, 5, 5]], 0,
            (x, _) => ConvReference.AveragePool2D(x[0], 3, 2, ConvPadding.Same)),
        ["average_pooling2d_non_square_same"] = new(() => new AveragePooling2D((1, 3), (2, 1), "same"), [[2, 1, 5, 4]], 0,
            (x, _) => ConvReference.AveragePool2D(x[0], (1, 3), (2, 1), ConvPadding.Same)),
        ["activation_sigmoid"] = Act("sigmoid", LayerReference.Sigmoid),
        ["activation_tanh"] = Act("tanh", Math.Tanh),
        ["activation_relu"] = Act("relu", v => Math.Max(v, 0)),
        ["activation_leaky_relu_default"] = Act("leaky_relu", v => v > 0 ? v : 0.01 * v),
        ["activation_elu"] = Act("elu", v => v > 0 ? v : Math.Exp(v) - 1),
        ["activation_softplus"] = Act("softplus", v => Math.Log(1 + Math.Exp(v))),
        ["activation_swish"] = Act("swish", v => v * LayerReference.Sigmoid(v)),
        ["activation_linear"] = Act("linear", v => v),
        ["activation_softmax"] = Act(new Softmax(), LayerReference.Softmax, [3, 6]),
        ["activation_prelu_image"] = new(() => new ActivationLayer(new PRelu()), [[2, 3, 2, 2]], 3,
            (x, p) => LayerReference.PRelu(x[0], p[0])),
        ["activation_maxout_image"] = Act(new Maxout(2), x => LayerReference.Maxout(x, 2), [2, 4, 2, 3]),
        ["flatten"] = new(() => new Flatten(), [[2, 3, 2, 2]], 0, (x, _) => x[0].Reshape(2, 12)),
        ["reshape"] = new(() => new Reshape([3, 4]), [[2, 12]], 0, (x, _) => x[0].Reshape(2, 3, 4)),
        ["reshape_inferred"] = new(() => new Reshape([-1, 2, 2]), [[2, 3, 2, 2]], 0, (x, _) => x[0].Reshape(2, 3, 2, 2)),
        ["dropout_inference"] = new(() => new Dropout(0.5), [[3, 4]], 0, (x, _) => x[0]),
        ["average_pooling2d_dilated"] = new(() => new AveragePooling2D(3, 2, dilationRate: 2), [[2, 2, 7, 8]], 0,
            (x, _) => ConvReference.DilatedPool2D(x[0], 3, 2, ConvPadding.Valid, 2, max: false)),
        ["average_pooling2d_dilated_same_non_square"] = new(() => new AveragePooling2D((3, 2), 1, "same", dilationRate: (2, 3)), [[1, 2, 5, 6]], 0,
            (x, _) => ConvReference.DilatedPool2D(x[0], (3, 2), 1, ConvPadding.Same, (2, 3), max: false)),
        ["global_average_pooling2d"] = new(() => new GlobalAveragePooling2D(), [[2, 3, 2, 3]], 0,
            (x, _) => LayerReference.GlobalAveragePooling(x[0])),
        ["batch_normalization_training_dense"] = new(() => new BatchNormalization(), [[5, 3]], 4 * 3,
            (x, p) => LayerReference.BatchNormTraining(x[0], 1e-3, p[0], p[1]), Training: true),
        ["batch_normalization_training_image"] = new(() => new BatchNormalization(epsilon: 0.01), [[3, 2, 2, 3]], 4 * 2,
            (x, p) => LayerReference.BatchNormTraining(x[0], 0.01, p[0], p[1]), Training: true),
        ["batch_normalization_inference"] = new(() => new BatchNormalization(), [[4, 3]], 4 * 3,
            (x, p) => LayerReference.Normalize(x[0], [0, 0, 0], [1, 1, 1], 1e-3, p[0], p[1])),
        ["batch_normalization_training_leaky_relu"] = new(() => new BatchNormalization(epsilon: 0.01, activation: new LeakyRelu(0.2)), [[3, 2, 2, 3]], 4 * 2,
            (x, p) => LayerReference.BatchNormTraining(x[0], 0.01, p[0], p[1]).Map(v => v > 0 ? v : 0.2 * v), Training: true),
        ["batch_normalization_inference_tanh"] = new(() => new BatchNormalization(activation: new Tanh()), [[4, 3]], 4 * 3,
            (x, p) => LayerReference.Normalize(x[0], [0, 0, 0], [1, 1, 1], 1e-3, p[0], p[1]).Map(Math.Tanh)),
        ["concatenate"] = new(() => new Concatenate(), [[2, 3], [2, 1], [2, 2]], 0,
            (x, _) => Reference.Concat(x, 1)),
        ["concatenate_channels"] = new(() => new Concatenate(axis: 1), [[2, 1, 2, 2], [2, 2, 2, 2]], 0,
            (x, _) => Reference.Concat(x, 1)),
        ["add"] = new(() => new Sparta.Layers.Add(), [[2, 3], [2, 3], [2, 3]], 0,
            (x, _) => Reference.Zip(Reference.Zip(x[0], x[1], (a, b) => a + b), x[2], (a, b) => a + b)),
        ["onnx_node_gemm"] = new(() => new OnnxNode("Gemm", 13, new([new("transB", 1L), new("alpha", 0.5)]),
                [new(OnnxSlotKind.Input), new(OnnxSlotKind.Parameter, "weight", [4, 5]), new(OnnxSlotKind.Parameter, "bias", [4])], [[3, 5]], [3, 4]),
            [[3, 5]], 4 * 5 + 4,
            (x, p) => Reference.Zip(Reference.MatMul(x[0], p[0], false, true).Map(v => 0.5 * v), p[1], (a, b) => a + b)),
        ["onnx_node_conv_groups"] = new(() => new OnnxNode("Conv", 13, new([new("group", 2L), new("pads", new long[] { 1, 1, 1, 1 })]),
                [new(OnnxSlotKind.Input), new(OnnxSlotKind.Parameter, "weight", [6, 2, 3, 3]), new(OnnxSlotKind.Parameter, "bias", [6])], [[2, 4, 4, 5]], [2, 6, 4, 5]),
            [[2, 4, 4, 5]], 6 * 2 * 9 + 6,
            (x, p) => Reference.Concat(new[] { 0, 1 }.Select(g => ConvReference.Conv2D(x[0].Narrow(1, 2 * g, 2), p[0].Narrow(0, 3 * g, 3), p[1].Narrow(0, 3 * g, 3), 1, ConvPadding.Same)).ToArray(), 1)),
        ["onnx_node_batch_normalization"] = new(() => new OnnxNode("BatchNormalization", 13, new([new("epsilon", 0.01)]),
                [new(OnnxSlotKind.Input), new(OnnxSlotKind.Parameter, "scale", [3]), new(OnnxSlotKind.Parameter, "bias", [3]),
                 new(OnnxSlotKind.State, "mean", [3]), new(OnnxSlotKind.State, "var", [3])], [[2, 3, 2, 2]], [2, 3, 2, 2]),
            [[2, 3, 2, 2]], 4 * 3,
            (x, p) => LayerReference.Normalize(x[0], [0, 0, 0], [0, 0, 0], 0.01, p[0], p[1])),
        ["zero_padding2d"] = new(() => new ZeroPadding2D(), [[2, 2, 3, 4]], 0, (x, _) => LayerReference.ZeroPadding(x[0], 1, 1)),
        ["zero_padding2d_rows_only"] = new(() => new ZeroPadding2D((2, 0)), [[1, 2, 3, 3]], 0, (x, _) => LayerReference.ZeroPadding(x[0], 2, 0)),
        ["resizing_bilinear_up"] = new(() => new Resizing(7, 5), [[2, 2, 3, 4]], 0, (x, _) => LayerReference.ResizeBilinear(x[0], 7, 5)),
        ["resizing_bilinear_down_one_axis"] = new(() => new Resizing(4, 3), [[1, 2, 4, 7]], 0, (x, _) => LayerReference.ResizeBilinear(x[0], 4, 3)),
        ["resizing_nearest"] = new(() => new Resizing(5, 2, "nearest"), [[2, 1, 3, 5]], 0, (x, _) => LayerReference.ResizeNearest(x[0], 5, 2)),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Fact]
    public void EveryRegisteredLayerHasACase()
    {
        foreach (string name in LayerRegistry.Registry.Names)
            Assert.True(Cases.Values.Any(c => c.Create().TypeName == name), $"layer '{name}' has no harness case");
    }

    [Theory, MemberData(nameof(Names))]
    public void OutputShapeMatchesComputeOutputShape(string name)
    {
        var c = Cases[name];
        var layer = c.Create();
        var output = layer.Call(Inputs(c, 1).Select(ToTensor).ToArray(), c.Training);
        var batchless = c.Inputs.Select(s => new Shape(s[1..])).ToArray();
        Assert.Equal([c.Inputs[0][0], .. layer.ComputeOutputShape(batchless).ToArray()], output.Shape.ToArray());
        Assert.Equal(layer.OutputShape, layer.ComputeOutputShape(batchless));
    }

    [Theory, MemberData(nameof(Names))]
    public void ParameterCountMatchesHandCount(string name)
    {
        var c = Cases[name];
        var layer = Built(c);
        Assert.Equal(c.Parameters, layer.ParameterCount);
        Assert.All(layer.Parameters, p => Assert.StartsWith(layer.Name + "/", p.Name));
    }

    [Theory, MemberData(nameof(Names))]
    public void ConfigRoundTripsThroughTheRegistry(string name)
    {
        var c = Cases[name];
        var layer = Built(c);
        var config = layer.GetConfig();
        var copy = LayerRegistry.Create(ComponentConfig.FromJson(config.ToJson()));
        Assert.Equal(config, copy.GetConfig());
        copy.Build(layer.InputShapes);
        for (int i = 0; i < layer.Parameters.Count; i++) layer.Parameters[i].Value.Span.CopyTo(copy.Parameters[i].Value.Span);
        var inputs = Inputs(c, 4).Select(ToTensor).ToArray();
        Assert.Equal(layer.Call(inputs).ToArray(), copy.Call(inputs).ToArray());
    }

    [Theory, MemberData(nameof(Names))]
    public void OneTrainingStepLowersALoss(string name)
    {
        var c = Cases[name];
        var layer = Built(c);
        var inputs = Inputs(c, 5).Select(ToTensor).ToArray();
        // Layers without parameters train their inputs instead, so the step still goes through the layer's backward.
        var trained = layer.Parameters.Count > 0 ? layer.Parameters.Select(p => p.Value).ToArray() : inputs;
        if (layer.Parameters.Count == 0) foreach (var t in inputs) t.RequiresGrad = true;
        var target = ToTensor(Random(layer.Call(inputs).Shape.ToArray(), new RandomGenerator(6)));

        Tensor Loss()
        {
            var error = layer.Call(inputs, c.Training) - target;
            return (error * error).Mean();
        }

        var before = Loss();
        before.Backward();
        foreach (var t in trained)
        {
            Assert.NotNull(t.Grad);
            TensorMath.Subtract(t, TensorMath.Multiply(t.Grad!, 0.01f), t);
        }
        float after;
        using (Tape.NoGrad()) after = Loss().Item();
        Assert.True(after < before.Item(), $"{name}: loss {before.Item()} before the step, {after} after");
    }

    [Theory, MemberData(nameof(Names))]
    public void ForwardMatchesDoubleReference(string name)
    {
        var c = Cases[name];
        var layer = Built(c);
        var inputs = Inputs(c, 7);
        var expected = c.Reference(inputs, ParameterReferences(layer));
        var actual = layer.Call(inputs.Select(ToTensor).ToArray(), c.Training);
        Assert.Equal(expected.Dims, actual.Shape.ToArray());
        for (int i = 0; i < expected.Size; i++)
            Assert.True(Math.Abs(expected.Data[i] - actual.Span[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected.Data[i])),
                $"{name}[{i}]: reference {expected.Data[i]}, float {actual.Span[i]}");
    }

    [Theory, MemberData(nameof(Names))]
    public void GradientsMatchFiniteDifferences(string name)
    {
        var c = Cases[name];
        var layer = Built(c);
        var inputs = Inputs(c, 8);
        var parameters = ParameterReferences(layer);
        var tensors = inputs.Select(ToTensor).ToArray();
        foreach (var t in tensors) t.RequiresGrad = true;
        var output = layer.Call(tensors, c.Training);
        var weights = Random(output.Shape.ToArray(), new RandomGenerator(9));
        output.Backward(ToTensor(weights));

        double Loss() => c.Reference(inputs, parameters).Data.Zip(weights.Data, (y, w) => y * w).Sum();
        var checkedTensors = inputs.Select((r, i) => (Name: $"input {i}", Values: r, Tape: tensors[i].Grad))
            .Concat(parameters.Select((r, i) => (Name: layer.Parameters[i].Name, Values: r, Tape: layer.Parameters[i].Value.Grad)));
        foreach (var (what, values, tape) in checkedTensors)
        {
            Assert.True(tape is not null, $"{name}: {what} received no gradient");
            var numeric = new double[values.Size];
            for (int i = 0; i < numeric.Length; i++)
            {
                double saved = values.Data[i], h = 1e-6 * Math.Max(1, Math.Abs(saved));
                values.Data[i] = saved + h;
                double up = Loss();
                values.Data[i] = saved - h;
                double down = Loss();
                values.Data[i] = saved;
                numeric[i] = (up - down) / (2 * h);
            }
            double scale = Math.Max(1, numeric.Max(Math.Abs));
            for (int i = 0; i < numeric.Length; i++)
                Assert.True(Math.Abs(numeric[i] - tape!.Span[i]) <= 2e-3 * scale,
                    $"{name}: d/d{what}[{i}] finite differences {numeric[i]}, tape {tape.Span[i]}");
        }
    }

    private static Layer Built(Case c)
    {
        var layer = c.Create();
        layer.Build(c.Inputs.Select(s => new Shape(s[1..])).ToArray(), new RandomGenerator(11));
        // Parameters that start constant (biases, γ, β) get random values, so every term is exercised.
        var random = new RandomGenerator(12);
        foreach (var p in layer.Parameters)
            if (p.Value.Span.ToArray().Distinct().Count() == 1) random.FillUniform(p.Value.Span, 0.2, 1.2);
        return layer;
    }

    private static Reference[] ParameterReferences(Layer layer) =>
        layer.Parameters.Select(p => new Reference(p.Value.ToArray().Select(v => (double)v).ToArray(), p.Value.Shape.ToArray())).ToArray();

    private static Reference[] Inputs(Case c, ulong seed)
    {
        var random = new RandomGenerator(seed);
        return c.Inputs.Select(s => Random(s, random)).ToArray();
    }

    /// <summary>Values rounded to float, so the float layer and the double reference see the same numbers.</summary>
    private static Reference Random(int[] dims, RandomGenerator random)
    {
        var data = new double[dims.Aggregate(1, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)random.Uniform(-2, 2);
        return new(data, dims);
    }

    private static Tensor ToTensor(Reference r) => Tensor.FromArray(r.Data.Select(v => (float)v).ToArray(), r.Dims);
}
