using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>A layer with exactly one input: write the shape rule, the build and the forward for one tensor.</summary>
public abstract class SingleInputLayer : Layer
{
    protected SingleInputLayer(string? name) : base(name)
    {
    }

    /// <summary>The single input shape this layer was built for (no batch axis).</summary>
    public Shape InputShape => InputShapes.Count == 1 ? InputShapes[0] : throw new InvalidOperationException($"layer '{Name}': not built yet");

    protected abstract Shape OutputShapeFor(Shape inputShape);

    protected virtual void BuildCore(Shape inputShape, RandomGenerator random)
    {
    }

    protected abstract Tensor Forward(Tensor x, bool training);

    protected sealed override Shape OutputShapeFor(IReadOnlyList<Shape> inputShapes) => OutputShapeFor(inputShapes[0]);

    protected sealed override void BuildCore(IReadOnlyList<Shape> inputShapes, RandomGenerator random) => BuildCore(inputShapes[0], random);

    protected sealed override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Forward(inputs[0], training);
}
