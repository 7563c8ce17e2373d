using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>xᵖ for a constant exponent.</summary>
    public static Tensor Pow(this Tensor x, float exponent)
    {
        var y = TensorMath.Pow(x, exponent);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "pow", [x], g => [TensorMath.Map("pow_backward", new PowerBackward(exponent), x, g)]);
        return y;
    }
}
