using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Kernels;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Fully connected: y = f(x·W + b) over the last axis, W of shape (in, units). ReLU, leaky ReLU,
/// sigmoid, tanh and linear run fused with the bias in one pass; other activations follow it.
/// Kernel initializer default glorot_uniform, bias zeros (Keras).
/// </summary>
public sealed class Dense : SingleInputLayer, IAffineLayer
{
    public const string RegisteredName = "dense";

    private Parameter? _kernel;
    private Parameter? _bias;

    public Dense(int units, Activation? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : base(name)
    {
        Units = Check.AtLeast(units, 1, "units", "layer 'dense'");
        Activation = activation ?? new Linear();
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? VarianceScaling.GlorotUniform();
        BiasInitializer = biasInitializer ?? new ConstantInitializer(0);
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Dense with an activation by registered name, e.g. <c>new Dense(128, "relu")</c>.</summary>
    public Dense(int units, string activation, string? name = null) : this(units, ActivationRegistry.Create(activation), name: name)
    {
    }

    public int Units { get; }
    public Activation Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }
    public Regularizer? KernelRegularizer { get; }
    public Regularizer? BiasRegularizer { get; }

    public override string TypeName => RegisteredName;

    public Parameter Kernel => _kernel ?? throw new InvalidOperationException($"layer '{Name}': not built yet");
    public Parameter? Bias => _bias;

    /// <summary>Affine outputs before the activation: Maxout takes k per unit.</summary>
    private int AffineUnits => Units * Activation.Pieces;

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank < 1) throw new ArgumentException($"layer '{Name}': needs inputs with a feature axis, got shape {inputShape}");
        return Activation.OutputShape(AffineShape(inputShape));
    }

    protected override void BuildCore(Shape inputShape, RandomGenerator random)
    {
        _kernel = AddParameter("kernel", new Shape(inputShape[-1], AffineUnits), KernelInitializer, random, KernelRegularizer);
        if (UseBias) _bias = AddParameter("bias", new Shape(AffineUnits), BiasInitializer, random, BiasRegularizer);
        Activation.Build(AffineShape(inputShape), (name, shape, initializer) => AddParameter(name, shape, initializer, random));
    }

    protected override Tensor Forward(Tensor x, bool training)
    {
        if (Activation.FusedKind is { } kind)
            return FusedDense.Apply(x, Kernel.Value, _bias?.Value, kind, Activation.FusedAlpha);
        return Activation.Apply(AffineOutput(x));
    }

    public Tensor AffineOutput(Tensor x) => FusedDense.Apply(x, Kernel.Value, _bias?.Value, BiasActivationKind.Identity, 0f);

    protected override IEnumerable<(string Key, object Value)> ConfigParameters()
    {
        yield return ("units", Units);
        yield return ("activation", Activation.GetConfig());
        yield return ("use_bias", UseBias);
        yield return ("kernel_initializer", KernelInitializer.GetConfig());
        yield return ("bias_initializer", BiasInitializer.GetConfig());
        if (KernelRegularizer is not null) yield return ("kernel_regularizer", KernelRegularizer.GetConfig());
        if (BiasRegularizer is not null) yield return ("bias_regularizer", BiasRegularizer.GetConfig());
    }

    internal static Dense FromConfig(ConfigReader r) => new(
        r.Int("units", 0),
        LayerArguments.Activation(r),
        r.Bool("use_bias", true),
        LayerArguments.Initializer(r, "kernel_initializer"),
        LayerArguments.Initializer(r, "bias_initializer"),
        LayerArguments.Regularizer(r, "kernel_regularizer"),
        LayerArguments.Regularizer(r, "bias_regularizer"));

    private Shape AffineShape(Shape inputShape)
    {
        var dims = inputShape.ToArray();
        dims[^1] = AffineUnits;
        return new Shape(dims);
    }
}
