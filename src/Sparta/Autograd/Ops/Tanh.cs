using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>tanh x; the derivative 1 − y² comes from the output.</summary>
    public static Tensor Tanh(this Tensor x)
    {
        var y = TensorMath.Tanh(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "tanh", [x], g => [TensorMath.Map("tanh_backward", new TanhBackward(), y, g)]);
        return y;
    }
}
