using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>A view with another shape of the same size (Tensor.Reshape resolves -1 and calls this).</summary>
    public static Tensor Reshape(Tensor x, Shape shape)
    {
        if (shape.Size != x.Size)
            throw new ArgumentException($"reshape: cannot view shape {x.Shape} ({x.Size} values) as {shape} ({shape.Size} values)");
        var y = x.View(shape);
        if (Tape.ShouldRecord(x)) ReshapeNode.Record(y, "reshape", [x]);
        return y;
    }

    /// <summary>A reshape's backward: the gradient viewed in the input's shape.</summary>
    private sealed class ReshapeNode : RecycledNode<ReshapeNode>
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var gradients = Gradients();
            gradients[0] = g.View(Inputs[0].Shape);
            return gradients;
        }

        protected override void Forget()
        {
        }
    }
}
