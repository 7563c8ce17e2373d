using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Kernels;
using Sparta.Regularizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// 2-D convolution over channels-first images (C, H, W): a (height, width) kernel, stride and
/// dilation rate (atrous convolution: the kernel reads every rate-th cell), each one integer for a
/// square as in Keras, 'valid' or 'same' padding (Keras' rules, over the dilated kernel's span), kernel
/// (filters, C, KH, KW) as in PyTorch. ReLU, leaky ReLU, tanh and linear run fused with the bias in the
/// pass that writes the convolution's output; other activations follow it (sigmoid too, so a cross-entropy reads its logits).
/// </summary>
public sealed class Conv2D : AffineLayer
{
    public const string RegisteredName = "conv2d";
    public static readonly string[] Paddings = ["valid", "same"];

    private const string Owner = "layer 'conv2d'";

    public Conv2D(int filters, Size2D kernelSize, Size2D? strides = null, string padding = "valid", Activation? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null,
        Regularizer? biasRegularizer = null, string? name = null, Size2D? dilationRate = null)
        : this(filters, kernelSize, strides ?? 1, padding, dilationRate ?? 1,
            new AffineArguments(activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer), name)
    {
    }

    /// <summary>Conv2D with an activation by registered name, e.g. <c>new Conv2D(32, 3, "relu", padding: "same")</c>.</summary>
    public Conv2D(int filters, Size2D kernelSize, string activation, Size2D? strides = null, string padding = "valid", string? name = null,
        Size2D? dilationRate = null)
        : this(filters, kernelSize, strides, padding, ActivationRegistry.Create(activation), name: name, dilationRate: dilationRate)
    {
    }

    private Conv2D(int filters, Size2D kernelSize, Size2D strides, string padding, Size2D dilationRate, AffineArguments arguments, string? name)
        : base(arguments, name)
    {
        Filters = Check.AtLeast(filters, 1, "filters", Owner);
        KernelSize = kernelSize.CheckPositive("kernel_size", Owner);
        Strides = strides.CheckPositive("strides", Owner);
        Padding = ParsePadding(padding, Owner);
        DilationRate = dilationRate.CheckPositive("dilation_rate", Owner);
    }

    public int Filters { get; }
    public Size2D KernelSize { get; }
    public Size2D Strides { get; }
    public ConvPadding Padding { get; }

    /// <summary>The step between the input cells the kernel reads (1: adjacent cells, an ordinary convolution).</summary>
    public Size2D DilationRate { get; }

    public override string TypeName => RegisteredName;

    protected override int Outputs => Filters;

    protected override Shape KernelShape(Shape inputShape) => new(AffineOutputs, inputShape[0], KernelSize.Height, KernelSize.Width);

    /// <summary>(filters·pieces, out height, out width).</summary>
    protected override Shape AffineShape(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        var window = ConvWindow.Create(inputShape[1], inputShape[2], KernelSize.Height, KernelSize.Width, Strides.Height, Strides.Width, Padding,
            DilationRate.Height, DilationRate.Width);
        return new Shape(AffineOutputs, window.OutHeight, window.OutWidth);
    }

    /// <summary>Without an activation, backward reads the input and the kernel, not the output.</summary>
    internal override bool BackwardReadsOutput(bool training) => Activation is not Linear;

    private protected override Tensor Affine(Tensor x, Tensor kernel, Tensor? bias, BiasActivationKind activation, float alpha) =>
        x.Conv2D(kernel, bias, Strides, Padding, activation, alpha, DilationRate);

    /// <summary>
    /// This layer as one stage of a chain of convolutions run in the channels-blocked layout
    /// (inference only: nothing is recorded for a backward pass) on samples shaped <paramref name="sample"/>
    /// (C, H, W), max pooled by <paramref name="pool"/> when given; null when the kernels do not take it
    /// (an activation the convolution does not fuse, a padded or dilated pooling window, a shape the
    /// blocked kernel leaves to the im2col GEMM, ...).
    /// </summary>
    internal Conv2DBlockedStage? BlockedStage(Shape sample, MaxPool2D? pool)
    {
        if (FusedKind is not { } kind || sample != InputShape) return null;
        var shape = TensorMath.ConvShape(sample, Kernel.Value, Strides, Padding, DilationRate);
        ConvWindow? window = pool?.Window(new Shape(shape.OutChannels, shape.Window.OutHeight, shape.Window.OutWidth));
        return TensorMath.BlockedStage(shape, Kernel.Value, Bias?.Value, kind, Activation.FusedAlpha, window);
    }

    /// <summary>
    /// This layer's output max pooled by <paramref name="pool"/>, recorded as one training op
    /// (<see cref="Ops.Conv2DReluMaxPool"/>: the convolution's output is never written, the values are the two layers'
    /// bit for bit); null when that op does not take them (an activation other than ReLU, another input shape,
    /// a pooling window that overlaps, a shape the blocked kernels leave to the im2col GEMM, ...).
    /// </summary>
    internal Tensor? PooledForTraining(Tensor x, MaxPool2D pool)
    {
        // Shape.Of, not new Shape: each step calls this, and a step after the first allocates nothing.
        if (FusedKind is not BiasActivationKind.Relu || x.Rank != 4 || Shape.Of(x.Shape.Dims[1..]) != InputShape) return null;
        var shape = TensorMath.ConvShape(x, Kernel.Value, Strides, Padding, DilationRate);
        var window = pool.Window(Shape.Of([shape.OutChannels, shape.Window.OutHeight, shape.Window.OutWidth]));
        return Ops.Conv2DReluMaxPool(x, Kernel.Value, Bias?.Value, shape, window);
    }

    /// <summary>The dilation rate is written only when not 1, so model files written before it existed read and write back unchanged.</summary>
    protected override IEnumerable<(string Key, object Value)> ShapeConfig() =>
    [
        ("filters", Filters), ("kernel_size", KernelSize.ToConfig()), ("strides", Strides.ToConfig()), ("padding", Paddings[(int)Padding]),
        .. DilationRate == 1 ? [] : new (string, object)[] { ("dilation_rate", DilationRate.ToConfig()) },
    ];

    internal static Conv2D FromConfig(ConfigReader r) => new(
        r.Int("filters", 0), r.Size2D("kernel_size", 0), r.Size2D("strides", 1), r.Choice("padding", "valid", Paddings), r.Size2D("dilation_rate", 1),
        AffineArguments.Read(r), null);

    internal static ConvPadding ParsePadding(string padding, string owner) => padding switch
    {
        "valid" => ConvPadding.Valid,
        "same" => ConvPadding.Same,
        _ => throw new ArgumentException($"{owner}: padding must be one of valid, same, got '{padding}'"),
    };
}
