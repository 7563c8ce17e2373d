using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>What max and average pooling share: a square window, a stride (default the pool size) and 'valid' or 'same' padding.</summary>
public abstract class Pooling2D : SingleInputLayer
{
    protected Pooling2D(int poolSize, int? strides, string padding, string? name) : base(name)
    {
        PoolSize = Check.AtLeast(poolSize, 1, "pool_size", $"layer '{TypeName}'");
        Strides = Check.AtLeast(strides ?? poolSize, 1, "strides", $"layer '{TypeName}'");
        Padding = Conv2D.ParsePadding(padding, $"layer '{TypeName}'");
    }

    public int PoolSize { get; }
    public int Strides { get; }
    public ConvPadding Padding { get; }

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        var window = ConvWindow.Create(inputShape[1], inputShape[2], PoolSize, PoolSize, Strides, Strides, Padding);
        return new Shape(inputShape[0], window.OutHeight, window.OutWidth);
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() =>
        [("pool_size", PoolSize), ("strides", Strides), ("padding", Conv2D.Paddings[(int)Padding])];
}

/// <summary>The largest value of each window.</summary>
public sealed class MaxPool2D : Pooling2D
{
    public const string RegisteredName = "max_pool2d";

    public MaxPool2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : base(poolSize, strides, padding, name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Tensor Forward(Tensor x, bool training) => x.MaxPool2D(PoolSize, Strides, Padding);

    internal static MaxPool2D FromConfig(ConfigReader r)
    {
        int pool = r.Int("pool_size", 2);
        return new(pool, r.Int("strides", pool), r.Choice("padding", "valid", Conv2D.Paddings));
    }
}

/// <summary>The mean of each window ('same' windows average only the cells inside the image, as Keras does).</summary>
public sealed class AveragePooling2D : Pooling2D
{
    public const string RegisteredName = "average_pooling2d";

    public AveragePooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : base(poolSize, strides, padding, name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Tensor Forward(Tensor x, bool training) => x.AveragePool2D(PoolSize, Strides, Padding);

    internal static AveragePooling2D FromConfig(ConfigReader r)
    {
        int pool = r.Int("pool_size", 2);
        return new(pool, r.Int("strides", pool), r.Choice("padding", "valid", Conv2D.Paddings));
    }
}
