using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>condition ≠ 0 ? a : b element-wise; the condition is a constant mask and gets no gradient.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var y = TensorMath.Where(condition, a, b);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "where", [a, b], g =>
            {
                var zeros = Tensor.Zeros(g.Shape);
                return
                [
                    a.RequiresGrad ? TensorMath.Where(condition, g, zeros) : null,
                    b.RequiresGrad ? TensorMath.Where(condition, zeros, g) : null,
                ];
            });
        return y;
    }
}
