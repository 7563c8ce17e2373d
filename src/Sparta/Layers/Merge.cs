using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>Joins two or more inputs along an axis (Keras' axis: counted with the batch axis, default −1, the last).</summary>
public sealed class Concatenate : Layer
{
    public const string RegisteredName = "concatenate";

    public Concatenate(int axis = -1, string? name = null) : base(name)
    {
        if (axis == 0) throw new ArgumentOutOfRangeException(nameof(axis), "layer 'concatenate': axis must not be 0 (the batch axis), got 0");
        Axis = axis;
    }

    public int Axis { get; }
    public override string TypeName => RegisteredName;
    public override int MinInputs => 2;
    public override int MaxInputs => int.MaxValue;

    protected override Shape OutputShapeFor(IReadOnlyList<Shape> inputShapes)
    {
        int rank = inputShapes[0].Rank;
        int axis = Axis < 0 ? rank + Axis : Axis - 1; // in the batchless shape
        if (axis < 0 || axis >= rank) throw new ArgumentException($"layer '{Name}': axis {Axis} is out of range for inputs of shape (batch, {string.Join(", ", inputShapes[0].ToArray())})");
        var dims = inputShapes[0].ToArray();
        dims[axis] = 0;
        foreach (var shape in inputShapes)
        {
            if (shape.Rank != rank || Enumerable.Range(0, rank).Any(d => d != axis && shape[d] != inputShapes[0][d]))
                throw new ArgumentException($"layer '{Name}': shapes {LayerNames.Show(inputShapes)} differ outside axis {Axis}");
            dims[axis] += shape[axis];
        }
        return new Shape(dims);
    }

    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Ops.Concat(inputs, Axis);

    /// <summary>Its backward hands each input its slab of the gradient and reads no values: it copies its inputs, and its output is
    /// read again only by the layers after it.</summary>
    internal override bool BackwardReadsInputs => false;
    internal override bool BackwardReadsOutput(bool training) => false;

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [("axis", Axis)];

    internal static Concatenate FromConfig(ConfigReader r) => new(r.Int("axis", -1));
}

/// <summary>The element-wise sum of two or more inputs of one shape (residual connections).</summary>
public sealed class Add : Layer
{
    public const string RegisteredName = "add";

    public Add(string? name = null) : base(name)
    {
    }

    public override string TypeName => RegisteredName;
    public override int MinInputs => 2;
    public override int MaxInputs => int.MaxValue;

    protected override Shape OutputShapeFor(IReadOnlyList<Shape> inputShapes)
    {
        if (inputShapes.Any(s => s != inputShapes[0]))
            throw new ArgumentException($"layer '{Name}': inputs must have one shape, got {LayerNames.Show(inputShapes)}");
        return inputShapes[0];
    }

    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var sum = inputs[0] + inputs[1];
        for (int i = 2; i < inputs.Count; i++) sum += inputs[i];
        return sum;
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() => [];

    internal static Add FromConfig(ConfigReader r) => new();
}
