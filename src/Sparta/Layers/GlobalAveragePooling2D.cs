using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>The mean of each channel over its H×W plane: (batch, C, H, W) → (batch, C).</summary>
public sealed class GlobalAveragePooling2D : SingleInputLayer
{
    public const string RegisteredName = "global_average_pooling2d";

    public GlobalAveragePooling2D(string? name = null) : base(name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        if (inputShape.Rank != 3) throw new ArgumentException($"layer '{Name}': expects images (channels, height, width), got shape {inputShape}");
        return new Shape(inputShape[0]);
    }

    protected override Tensor Forward(Tensor x, bool training) => x.GlobalAveragePool2D();

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [];

    internal static GlobalAveragePooling2D FromConfig(ConfigReader r) => new();
}
