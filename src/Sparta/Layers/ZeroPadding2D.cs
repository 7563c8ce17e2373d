using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Adds rows and columns of zeros around each image (Keras' ZeroPadding2D): <c>padding</c> is one
/// integer for every side or [height, width], each added on both sides, so (C, H, W) becomes
/// (C, H + 2·height, W + 2·width). Before a 'valid' convolution it gives PyTorch's symmetric
/// padding, which a strided 'same' convolution does not (it pads more at the bottom and right).
/// </summary>
public sealed class ZeroPadding2D : SingleInputLayer
{
    public const string RegisteredName = "zero_padding2d";

    public ZeroPadding2D(Size2D? padding = null, string? name = null) : base(name)
    {
        Padding = padding ?? 1;
        if (Padding.Height < 0 || Padding.Width < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), $"layer 'zero_padding2d': padding must be non-negative integers, got {Padding}");
    }

    /// <summary>Rows added above and below, columns added left and right.</summary>
    public Size2D Padding { get; }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        return new Shape(inputShape[0], inputShape[1] + 2 * Padding.Height, inputShape[2] + 2 * Padding.Width);
    }

    protected override Tensor Forward(Tensor x, bool training) => Padding == 0 ? x : x.ZeroPad2D(Padding);

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [("padding", Padding.ToConfig())];

    internal static ZeroPadding2D FromConfig(ConfigReader r) => new(r.Size2D("padding", 1));
}
