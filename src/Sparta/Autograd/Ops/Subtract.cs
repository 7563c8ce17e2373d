using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>a − b, broadcasting.</summary>
    public static Tensor Subtract(this Tensor a, Tensor b)
    {
        var y = TensorMath.Subtract(a, b);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "sub", [a, b], g =>
            [
                a.RequiresGrad ? TensorMath.SumTo(g, a.Shape) : null,
                b.RequiresGrad ? TensorMath.Negate(TensorMath.SumTo(g, b.Shape)) : null,
            ]);
        return y;
    }
}
