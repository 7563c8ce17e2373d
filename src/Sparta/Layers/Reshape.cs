using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// Gives each sample a new shape with the same number of values (Keras' Reshape): (batch, 784) →
/// (batch, 1, 28, 28) with <c>target_shape: [1, 28, 28]</c>. One dimension may be -1, inferred from
/// the others. A view, no copy, so the gradient flows back unchanged.
/// </summary>
public sealed class Reshape : SingleInputLayer
{
    public const string RegisteredName = "reshape";

    public Reshape(IReadOnlyList<int> targetShape, string? name = null) : base(name)
    {
        if (targetShape.Count == 0 || targetShape.Any(d => d == 0 || d < -1) || targetShape.Count(d => d == -1) > 1)
            throw new ArgumentException($"layer 'reshape': target_shape must be positive dimensions with at most one -1, got [{string.Join(", ", targetShape)}]", nameof(targetShape));
        TargetShape = targetShape.ToArray();
    }

    public IReadOnlyList<int> TargetShape { get; }

    public override string TypeName => RegisteredName;

    protected override Shape OutputShapeFor(Shape inputShape)
    {
        int known = TargetShape.Where(d => d != -1).Aggregate(1, (a, d) => a * d);
        int[] dims = TargetShape.ToArray();
        int unknown = Array.IndexOf(dims, -1);
        if (unknown >= 0 && inputShape.Size % known == 0) dims[unknown] = inputShape.Size / known;
        if (dims.Aggregate(1, (a, d) => a * d) != inputShape.Size)
            throw new ArgumentException($"layer '{Name}': target_shape [{string.Join(", ", TargetShape)}] does not hold the {inputShape.Size} values of an input of shape {inputShape}");
        return new Shape(dims);
    }

    protected override Tensor Forward(Tensor x, bool training) => x.Reshape([x.Shape[0], .. TargetShape]);

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [("target_shape", TargetShape.Select(d => (object)(double)d).ToArray())];

    internal static Reshape FromConfig(ConfigReader r) => new(r.IntList("target_shape") ?? []);
}
