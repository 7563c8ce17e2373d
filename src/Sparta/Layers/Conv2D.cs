using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Kernels;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// 2-D convolution over channels-first images (C, H, W) with a square kernel and stride, 'valid' or
/// 'same' padding (Keras' rules), kernel (filters, C, k, k) as in PyTorch. The activation runs in
/// place on the convolution output when the fused kernel has it. Kernel initializer default
/// glorot_uniform, bias zeros (Keras).
/// </summary>
public sealed class Conv2D : SingleInputLayer, IAffineLayer
{
    public const string RegisteredName = "conv2d";
    public static readonly string[] Paddings = ["valid", "same"];

    private const string Owner = "layer 'conv2d'";
    private Parameter? _kernel;
    private Parameter? _bias;

    public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", Activation? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null,
        Regularizer? biasRegularizer = null, string? name = null)
        : base(name)
    {
        Filters = Check.AtLeast(filters, 1, "filters", Owner);
        KernelSize = Check.AtLeast(kernelSize, 1, "kernel_size", Owner);
        Strides = Check.AtLeast(strides, 1, "strides", Owner);
        Padding = ParsePadding(padding, Owner);
        Activation = activation ?? new Linear();
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? VarianceScaling.GlorotUniform();
        BiasInitializer = biasInitializer ?? new ConstantInitializer(0);
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Conv2D with an activation by registered name, e.g. <c>new Conv2D(32, 3, padding: "same", activation: "relu")</c>.</summary>
    public Conv2D(int filters, int kernelSize, string activation, int strides = 1, string padding = "valid", string? name = null)
        : this(filters, kernelSize, strides, padding, ActivationRegistry.Create(activation), name: name)
    {
    }

    public int Filters { get; }
    public int KernelSize { get; }
    public int Strides { get; }
    public ConvPadding Padding { get; }
    public Activation Activation { get; }
    public bool UseBias { get; }
    public Initializer KernelInitializer { get; }
    public Initializer BiasInitializer { get; }
    public Regularizer? KernelRegularizer { get; }
    public Regularizer? BiasRegularizer { get; }

    public override string TypeName => RegisteredName;

    public Parameter Kernel => _kernel ?? throw new InvalidOperationException($"layer '{Name}': not built yet");
    public Parameter? Bias => _bias;

    private int AffineFilters => Filters * Activation.Pieces;

    protected override Shape OutputShapeFor(Shape inputShape) => Activation.OutputShape(ConvolvedShape(inputShape));

    protected override void BuildCore(Shape inputShape, RandomGenerator random)
    {
        _kernel = AddParameter("kernel", new Shape(AffineFilters, inputShape[0], KernelSize, KernelSize), KernelInitializer, random, KernelRegularizer);
        if (UseBias) _bias = AddParameter("bias", new Shape(AffineFilters), BiasInitializer, random, BiasRegularizer);
        Activation.Build(ConvolvedShape(inputShape), (name, shape, initializer) => AddParameter(name, shape, initializer, random));
    }

    protected override Tensor Forward(Tensor x, bool training)
    {
        var z = AffineOutput(x);
        return Activation.FusedKind is { } kind ? FusedActivation.InPlace(z, kind, Activation.FusedAlpha) : Activation.Apply(z);
    }

    public Tensor AffineOutput(Tensor x) => x.Conv2D(Kernel.Value, _bias?.Value, Strides, Padding);

    protected override IEnumerable<(string Key, object Value)> ConfigParameters()
    {
        yield return ("filters", Filters);
        yield return ("kernel_size", KernelSize);
        yield return ("strides", Strides);
        yield return ("padding", Paddings[(int)Padding]);
        yield return ("activation", Activation.GetConfig());
        yield return ("use_bias", UseBias);
        yield return ("kernel_initializer", KernelInitializer.GetConfig());
        yield return ("bias_initializer", BiasInitializer.GetConfig());
        if (KernelRegularizer is not null) yield return ("kernel_regularizer", KernelRegularizer.GetConfig());
        if (BiasRegularizer is not null) yield return ("bias_regularizer", BiasRegularizer.GetConfig());
    }

    internal static Conv2D FromConfig(ConfigReader r) => new(
        r.Int("filters", 0), r.Int("kernel_size", 0), r.Int("strides", 1), r.Choice("padding", "valid", Paddings),
        LayerArguments.Activation(r), r.Bool("use_bias", true),
        LayerArguments.Initializer(r, "kernel_initializer"), LayerArguments.Initializer(r, "bias_initializer"),
        LayerArguments.Regularizer(r, "kernel_regularizer"), LayerArguments.Regularizer(r, "bias_regularizer"));

    internal static ConvPadding ParsePadding(string padding, string owner) => padding switch
    {
        "valid" => ConvPadding.Valid,
        "same" => ConvPadding.Same,
        _ => throw new ArgumentException($"{owner}: padding must be one of valid, same, got '{padding}'"),
    };

    /// <summary>The shape before the activation: (filters·pieces, out height, out width).</summary>
    private Shape ConvolvedShape(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        var window = ConvWindow.Create(inputShape[1], inputShape[2], KernelSize, KernelSize, Strides, Strides, Padding);
        return new Shape(AffineFilters, window.OutHeight, window.OutWidth);
    }
}
