using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    public static Tensor Sqrt(this Tensor x)
    {
        var y = TensorMath.Sqrt(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "sqrt", [x], g => [TensorMath.Map("sqrt_backward", new SqrtBackward(), y, g)]);
        return y;
    }
}
