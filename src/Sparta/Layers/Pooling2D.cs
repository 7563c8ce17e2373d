using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// What max and average pooling share: a (height, width) window (default 2), a stride (default the
/// pool size), each one integer for a square as in Keras, 'valid' or 'same' padding (over the dilated
/// window's span), and a dilation rate (default 1; PyTorch's <c>dilation</c>: the window reads every rate-th cell).
/// </summary>
public abstract class Pooling2D : SingleInputLayer
{
    protected Pooling2D(Size2D? poolSize, Size2D? strides, string padding, Size2D? dilationRate, string? name) : base(name)
    {
        PoolSize = (poolSize ?? 2).CheckPositive("pool_size", $"layer '{TypeName}'");
        Strides = (strides ?? PoolSize).CheckPositive("strides", $"layer '{TypeName}'");
        Padding = Conv2D.ParsePadding(padding, $"layer '{TypeName}'");
        DilationRate = (dilationRate ?? 1).CheckPositive("dilation_rate", $"layer '{TypeName}'");
    }

    public Size2D PoolSize { get; }
    public Size2D Strides { get; }
    public ConvPadding Padding { get; }

    /// <summary>The step between the input cells a window reads (1: adjacent cells, an ordinary pool).</summary>
    public Size2D DilationRate { get; }

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        var window = Window(inputShape);
        return new Shape(inputShape[0], window.OutHeight, window.OutWidth);
    }

    /// <summary>The window over an input of shape (channels, height, width).</summary>
    internal ConvWindow Window(Shape inputShape) => ConvWindow.Create(inputShape[1], inputShape[2], PoolSize.Height, PoolSize.Width,
        Strides.Height, Strides.Width, Padding, DilationRate.Height, DilationRate.Width);

    /// <summary>The dilation rate is written only when not 1, so model files written before it existed read and write back unchanged.</summary>
    protected override IEnumerable<(string Key, object Value)> ConfigParameters() =>
    [
        ("pool_size", PoolSize.ToConfig()), ("strides", Strides.ToConfig()), ("padding", Conv2D.Paddings[(int)Padding]),
        .. DilationRate == 1 ? [] : new (string, object)[] { ("dilation_rate", DilationRate.ToConfig()) },
    ];

    /// <summary>The pool size, strides, padding and dilation rate of a config.</summary>
    private protected static (Size2D PoolSize, Size2D Strides, string Padding, Size2D DilationRate) ReadConfig(ConfigReader r)
    {
        var pool = r.Size2D("pool_size", 2);
        return (pool, r.Size2D("strides", pool), r.Choice("padding", "valid", Conv2D.Paddings), r.Size2D("dilation_rate", 1));
    }
}

/// <summary>The largest value of each window.</summary>
public sealed class MaxPool2D : Pooling2D
{
    public const string RegisteredName = "max_pool2d";

    public MaxPool2D(Size2D? poolSize = null, Size2D? strides = null, string padding = "valid", string? name = null, Size2D? dilationRate = null)
        : base(poolSize, strides, padding, dilationRate, name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Tensor Forward(Tensor x, bool training) => x.MaxPool2D(PoolSize, Strides, Padding, DilationRate);

    /// <summary>Backward routes the gradient by the indices the forward pass recorded, not by the output's values.</summary>
    internal override bool BackwardReadsOutput(bool training) => false;

    internal static MaxPool2D FromConfig(ConfigReader r)
    {
        var (pool, strides, padding, dilation) = ReadConfig(r);
        return new(pool, strides, padding, dilationRate: dilation);
    }
}

/// <summary>The mean of each window ('same' windows average only the cells inside the image, as Keras does).</summary>
public sealed class AveragePooling2D : Pooling2D
{
    public const string RegisteredName = "average_pooling2d";

    public AveragePooling2D(Size2D? poolSize = null, Size2D? strides = null, string padding = "valid", string? name = null, Size2D? dilationRate = null)
        : base(poolSize, strides, padding, dilationRate, name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Tensor Forward(Tensor x, bool training) => x.AveragePool2D(PoolSize, Strides, Padding, DilationRate);

    /// <summary>The average is linear: backward spreads the gradient by the window alone (the dilated windows' composed ops read values).</summary>
    internal override bool BackwardReadsInputs => DilationRate != 1;

    internal static AveragePooling2D FromConfig(ConfigReader r)
    {
        var (pool, strides, padding, dilation) = ReadConfig(r);
        return new(pool, strides, padding, dilationRate: dilation);
    }
}
