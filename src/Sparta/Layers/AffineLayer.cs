using Sparta.Activations;
using Sparta.Initializers;
using Sparta.Kernels;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// A layer computing y = f(W∗x + b) (Dense, Conv2D), what LSUV rescales layer by layer. It owns the kernel and bias, their
/// initializers (default glorot_uniform and zeros, as Keras) and regularizers, the activation and
/// the config keys they bring. A subclass gives the kernel's shape, the shape before the activation,
/// and the affine map itself, fused with the bias add and the activation when the bias+activation
/// kernel has it; other activations (softmax, PReLU, Maxout, ...) run after the map, and so does sigmoid, whose
/// logits a cross-entropy reads.
/// </summary>
public abstract class AffineLayer : SingleInputLayer
{
    private Parameter? _kernel;
    private Parameter? _bias;

    private protected AffineLayer(AffineArguments arguments, string? name) : base(name)
    {
        Activation = arguments.Activation ?? new Linear();
        UseBias = arguments.UseBias;
        KernelInitializer = arguments.KernelInitializer ?? VarianceScaling.GlorotUniform();
        BiasInitializer = arguments.BiasInitializer ?? new ConstantInitializer(0);
        KernelRegularizer = arguments.KernelRegularizer;
        BiasRegularizer = arguments.BiasRegularizer;
    }

    public Activation Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }
    public Regularizer? KernelRegularizer { get; }
    public Regularizer? BiasRegularizer { get; }

    public Parameter Kernel => _kernel ?? throw new InvalidOperationException($"layer '{Name}': not built yet");
    public Parameter? Bias => _bias;

    /// <summary>Units (dense) or filters (convolution): the outputs per position after the activation.</summary>
    protected abstract int Outputs { get; }

    /// <summary>Outputs of the affine map per position: Maxout takes k of them per output.</summary>
    protected int AffineOutputs => Outputs * Activation.Pieces;

    /// <summary>The kernel's shape for this input shape (no batch axis).</summary>
    protected abstract Shape KernelShape(Shape inputShape);

    /// <summary>The shape before the activation (no batch axis); throws for inputs the layer cannot take.</summary>
    protected abstract Shape AffineShape(Shape inputShape);

    /// <summary>f(W∗x + b) as one op, for an activation the bias+activation kernel computes (identity gives the affine map).</summary>
    private protected abstract Tensor Affine(Tensor x, Tensor kernel, Tensor? bias, BiasActivationKind activation, float alpha);

    /// <summary>The config keys of the layer's shape (units; filters, kernel size, strides, padding).</summary>
    protected abstract IEnumerable<(string Key, object Value)> ShapeConfig();

    /// <summary>The output before the activation, for a batch of this layer's input.</summary>
    public Tensor AffineOutput(Tensor x) => Affine(x, Kernel.Value, _bias?.Value, BiasActivationKind.Identity, 0f);

    protected sealed override Shape OutputShapeFor(Shape inputShape) => Activation.OutputShape(AffineShape(inputShape));

    protected sealed override void BuildCore(Shape inputShape, RandomGenerator random)
    {
        _kernel = AddParameter("kernel", KernelShape(inputShape), KernelInitializer, random, KernelRegularizer);
        if (UseBias) _bias = AddParameter("bias", new Shape(AffineOutputs), BiasInitializer, random, BiasRegularizer);
        Activation.Build(AffineShape(inputShape), (name, shape, initializer) => AddParameter(name, shape, initializer, random));
    }

    /// <summary>The bias+activation kernel that runs the activation inside the map; null when it runs after the map (see <see cref="Activation.KeepsLogits"/>).</summary>
    private protected BiasActivationKind? FusedKind => Activation.KeepsLogits ? null : Activation.FusedKind;

    protected sealed override Tensor Forward(Tensor x, bool training) => FusedKind is { } kind
        ? Affine(x, Kernel.Value, _bias?.Value, kind, Activation.FusedAlpha)
        : Activation.Apply(AffineOutput(x));

    protected sealed override IEnumerable<(string Key, object Value)> ConfigParameters()
    {
        foreach (var entry in ShapeConfig()) yield return entry;
        yield return ("activation", Activation.GetConfig());
        yield return ("use_bias", UseBias);
        yield return ("kernel_initializer", KernelInitializer.GetConfig());
        yield return ("bias_initializer", BiasInitializer.GetConfig());
        if (KernelRegularizer is not null) yield return ("kernel_regularizer", KernelRegularizer.GetConfig());
        if (BiasRegularizer is not null) yield return ("bias_regularizer", BiasRegularizer.GetConfig());
    }
}
