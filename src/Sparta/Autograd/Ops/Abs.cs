using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>|x|; the gradient at 0 is 0.</summary>
    public static Tensor Abs(this Tensor x)
    {
        var y = TensorMath.Abs(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "abs", [x], g => [TensorMath.Map("abs_backward", new AbsBackward(), x, g)]);
        return y;
    }
}
