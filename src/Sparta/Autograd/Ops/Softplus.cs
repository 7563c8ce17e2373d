using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>log(1 + eˣ); its derivative is sigmoid(x).</summary>
    public static Tensor Softplus(this Tensor x)
    {
        var y = TensorMath.Softplus(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "softplus", [x], g => [TensorMath.Map("softplus_backward", new SoftplusBackward(), x, g)]);
        return y;
    }
}
