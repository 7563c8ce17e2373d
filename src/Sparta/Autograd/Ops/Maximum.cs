using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Element-wise max(a, b), broadcasting; on a tie the gradient goes to a.</summary>
    public static Tensor Maximum(this Tensor a, Tensor b)
    {
        var y = TensorMath.Maximum(a, b);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "maximum", [a, b], g =>
            {
                var toA = TensorMath.Multiply(g, TensorMath.Map("maximum_backward", new GreaterOrEqualMask(), a, b));
                return
                [
                    a.RequiresGrad ? TensorMath.SumTo(toA, a.Shape) : null,
                    b.RequiresGrad ? TensorMath.SumTo(TensorMath.Subtract(g, toA), b.Shape) : null,
                ];
            });
        return y;
    }
}
