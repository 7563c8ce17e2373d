using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>a / b element-wise, broadcasting. d/db (a/b) = −(a/b)/b, computed from the output.</summary>
    public static Tensor Divide(this Tensor a, Tensor b)
    {
        var y = TensorMath.Divide(a, b);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "div", [a, b], g =>
            [
                a.RequiresGrad ? TensorMath.SumTo(TensorMath.Divide(g, b), a.Shape) : null,
                b.RequiresGrad ? TensorMath.SumTo(TensorMath.Negate(TensorMath.Divide(TensorMath.Multiply(g, y), b)), b.Shape) : null,
            ]);
        return y;
    }
}
