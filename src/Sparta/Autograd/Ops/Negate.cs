using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    public static Tensor Negate(this Tensor x)
    {
        var y = TensorMath.Negate(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "neg", [x], g => [TensorMath.Negate(g)]);
        return y;
    }
}
