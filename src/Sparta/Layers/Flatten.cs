using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>Flattens each sample to one axis: (batch, C, H, W) → (batch, C·H·W). A view, no copy.</summary>
public sealed class Flatten : SingleInputLayer
{
    public const string RegisteredName = "flatten";

    public Flatten(string? name = null) : base(name)
    {
    }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape) => new(inputShape.Size);

    protected override Tensor Forward(Tensor x, bool training) => x.Reshape(x.Shape[0], -1);

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [];

    internal static Flatten FromConfig(ConfigReader r) => new();
}
