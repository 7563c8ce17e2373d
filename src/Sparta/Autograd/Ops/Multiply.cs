using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>a · b element-wise, broadcasting.</summary>
    public static Tensor Multiply(this Tensor a, Tensor b)
    {
        var y = TensorMath.Multiply(a, b);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "mul", [a, b], g =>
            [
                a.RequiresGrad ? TensorMath.SumTo(TensorMath.Multiply(g, b), a.Shape) : null,
                b.RequiresGrad ? TensorMath.SumTo(TensorMath.Multiply(g, a), b.Shape) : null,
            ]);
        return y;
    }
}
