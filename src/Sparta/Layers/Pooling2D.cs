using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// What max and average pooling share: a (height, width) window (default 2), a stride (default the
/// pool size), each one integer for a square as in Keras, and 'valid' or 'same' padding.
/// </summary>
public abstract class Pooling2D : SingleInputLayer
{
    protected Pooling2D(Size2D? poolSize, Size2D? strides, string padding, string? name) : base(name)
    {
        PoolSize = (poolSize ?? 2).CheckPositive("pool_size", $"layer '{TypeName}'");
        Strides = (strides ?? PoolSize).CheckPositive("strides", $"layer '{TypeName}'");
        Padding = Conv2D.ParsePadding(padding, $"layer '{TypeName}'");
    }

    public Size2D PoolSize { get; }
    public Size2D Strides { get; }
    public ConvPadding Padding { get; }

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        var window = ConvWindow.Create(inputShape[1], inputShape[2], PoolSize.Height, PoolSize.Width, Strides.Height, Strides.Width, Padding);
        return new Shape(inputShape[0], window.OutHeight, window.OutWidth);
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() =>
        [("pool_size", PoolSize.ToConfig()), ("strides", Strides.ToConfig()), ("padding", Conv2D.Paddings[(int)Padding])];

    /// <summary>The pool size, strides and padding of a config.</summary>
    private protected static (Size2D PoolSize, Size2D Strides, string Padding) ReadConfig(ConfigReader r)
    {
        var pool = r.Size2D("pool_size", 2);
        return (pool, r.Size2D("strides", pool), r.Choice("padding", "valid", Conv2D.Paddings));
    }
}

/// <summary>The largest value of each window.</summary>
public sealed class MaxPool2D : Pooling2D
{
    public const string RegisteredName = "max_pool2d";

    public MaxPool2D(Size2D? poolSize = null, Size2D? strides = null, string padding = "valid", string? name = null) : base(poolSize, strides, padding, name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Tensor Forward(Tensor x, bool training) => x.MaxPool2D(PoolSize, Strides, Padding);

    internal static MaxPool2D FromConfig(ConfigReader r)
    {
        var (pool, strides, padding) = ReadConfig(r);
        return new(pool, strides, padding);
    }
}

/// <summary>The mean of each window ('same' windows average only the cells inside the image, as Keras does).</summary>
public sealed class AveragePooling2D : Pooling2D
{
    public const string RegisteredName = "average_pooling2d";

    public AveragePooling2D(Size2D? poolSize = null, Size2D? strides = null, string padding = "valid", string? name = null) : base(poolSize, strides, padding, name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Tensor Forward(Tensor x, bool training) => x.AveragePool2D(PoolSize, Strides, Padding);

    internal static AveragePooling2D FromConfig(ConfigReader r)
    {
        var (pool, strides, padding) = ReadConfig(r);
        return new(pool, strides, padding);
    }
}
