using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>a + b, broadcasting. A broadcast input receives its gradient summed back to its shape.</summary>
    public static Tensor Add(this Tensor a, Tensor b)
    {
        var y = TensorMath.Add(a, b);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, "add", [a, b], g =>
            [
                a.RequiresGrad ? TensorMath.SumTo(g, a.Shape) : null,
                b.RequiresGrad ? TensorMath.SumTo(g, b.Shape) : null,
            ]);
        return y;
    }
}
