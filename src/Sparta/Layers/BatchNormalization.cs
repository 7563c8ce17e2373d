using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Batch normalization (Ioffe and Szegedy 2015) over the channel axis (features of a dense output,
/// channels of an image): in training, x̂ = (x − μ_B)/√(σ²_B + ε) with the batch's mean and (biased)
/// variance per channel, and the running averages move as r ← momentum·r + (1 − momentum)·batch;
/// at inference, and when the layer is frozen (as in Keras), the running averages are used.
/// The output is γ·x̂ + β with γ (starting at 1) and β (at 0) learned. Keras' defaults: momentum 0.99, ε 0.001.
/// </summary>
public sealed class BatchNormalization : SingleInputLayer
{
    public const string RegisteredName = "batch_normalization";

    private Parameter? _gamma, _beta;
    private Tensor? _movingMean, _movingVariance;
    private Tensor? _batchMean, _batchVariance;

    public BatchNormalization(double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
        Activation? activation = null, string? name = null)
        : base(name)
    {
        Momentum = Check.InRange(momentum, 0, 1, "momentum", "layer 'batch_normalization'");
        Epsilon = Check.Positive(epsilon, "epsilon", "layer 'batch_normalization'");
        Center = center;
        Scale = scale;
        Activation = activation ?? new Linear();
        if (Activation.FusedKind is null)
            throw new ArgumentException($"layer 'batch_normalization': activation must be one of {string.Join(", ", FusedActivations)} " +
                $"(run in the normalization's own pass), got '{Activation.Name}'");
    }

    /// <summary>The activations the layer runs in its own pass (a separate activation layer takes any other).</summary>
    public static readonly string[] FusedActivations = ["linear", "relu", "leaky_relu", "sigmoid", "tanh"];

    public double Momentum { get; }
    public double Epsilon { get; }
    /// <summary>Whether β is learned (else 0).</summary>
    public bool Center { get; }
    /// <summary>Whether γ is learned (else 1).</summary>
    public bool Scale { get; }
    /// <summary>
    /// Applied to the normalized output in the same op (ReLU after batch norm, as in ResNet and Inception):
    /// the values before it are never stored, which saves one activation-sized tensor a layer in training.
    /// </summary>
    public Activation Activation { get; }

    public override string TypeName => RegisteredName;

    public Tensor MovingMean => _movingMean ?? throw new InvalidOperationException($"layer '{Name}': not built yet");
    public Tensor MovingVariance => _movingVariance ?? throw new InvalidOperationException($"layer '{Name}': not built yet");

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank == 0) throw new ArgumentException($"layer '{Name}': input has no channel axis");
        return inputShape;
    }

    protected override void BuildCore(Shape inputShape, RandomGenerator random)
    {
        var channels = new Shape(inputShape[0]);
        if (Scale) _gamma = AddParameter("gamma", channels, new ConstantInitializer(1), random);
        if (Center) _beta = AddParameter("beta", channels, new ConstantInitializer(0), random);
        _movingMean = AddState("moving_mean", channels, 0f);
        _movingVariance = AddState("moving_variance", channels, 1f);
    }

    protected override Tensor Forward(Tensor x, bool training)
    {
        if (training && Trainable)
        {
            int channels = x.Shape[1];
            // Kept from call to call: the batch's statistics are read here alone, once the op has written them.
            if (_batchMean?.Size != channels) (_batchMean, _batchVariance) = (Tensor.Zeros(channels), Tensor.Zeros(channels));
            var (mean, variance) = (_batchMean, _batchVariance!);
            var y = x.BatchNorm(_gamma?.Value, _beta?.Value, (float)Epsilon, Activation.FusedKind!.Value, Activation.FusedAlpha, mean, variance);
            UpdateMovingAverage(MovingMean, mean);
            UpdateMovingAverage(MovingVariance, variance);
            return y;
        }
        return Infer(x);
    }

    /// <summary>Training's fused op recomputes its output from its input when backward finds it given back; a frozen layer's ops need it.</summary>
    internal override bool BackwardReadsOutput(bool training) => !(training && Trainable);

    /// <summary>The moving averages in place of the batch's statistics (inference, or a frozen layer).</summary>
    private Tensor Infer(Tensor x)
    {
        int batch = x.Shape[0], channels = x.Shape[1], plane = x.Shape.SizeFrom(2);
        var v = x.Reshape(batch, channels, plane);
        var mean = MovingMean.View(new Shape(1, channels, 1));
        var deviation = TensorMath.Sqrt(TensorMath.Add(MovingVariance, (float)Epsilon)).View(new Shape(1, channels, 1));
        var normalized = (v - mean) / deviation;
        if (_gamma is not null) normalized *= _gamma.Value.Reshape(1, channels, 1);
        if (_beta is not null) normalized += _beta.Value.Reshape(1, channels, 1);
        return Activation.Apply(normalized.Reshape(x.Shape.ToArray()));
    }

    private void UpdateMovingAverage(Tensor moving, Tensor batchValue) => MoveAverage(moving, batchValue, (float)Momentum);

    /// <summary>moving ← momentum·moving + (1 − momentum)·batchValue, in place (an imported ONNX batch normalization moves its statistics so too).</summary>
    internal static void MoveAverage(Tensor moving, Tensor batchValue, float momentum)
    {
        var target = moving.Span;
        var source = batchValue.Span;
        for (int c = 0; c < target.Length; c++) target[c] = momentum * target[c] + (1 - momentum) * source[c];
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() =>
        [("momentum", Momentum), ("epsilon", Epsilon), ("center", Center), ("scale", Scale), ("activation", Activation.GetConfig())];

    internal static BatchNormalization FromConfig(ConfigReader r) =>
        new(r.Double("momentum", 0.99), r.Double("epsilon", 1e-3), r.Bool("center", true), r.Bool("scale", true), LayerArguments.Activation(r));
}
