using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Largest value over one axis; the gradient goes to the first position that attains it.</summary>
    public static Tensor Max(this Tensor x, int axis, bool keepDims = false)
    {
        var indices = new int[x.Size / Math.Max(1, x.Shape[axis])];
        var y = TensorMath.Max(x, axis, keepDims, indices: indices);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "max", [x], g => [TensorMath.ScatterAlongAxis(g, indices, x.Shape, axis)]);
        return y;
    }
}
