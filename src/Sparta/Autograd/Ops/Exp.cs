using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>eˣ; its derivative is the output itself.</summary>
    public static Tensor Exp(this Tensor x)
    {
        var y = TensorMath.Exp(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "exp", [x], g => [TensorMath.Multiply(g, y)]);
        return y;
    }
}
