using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Swish (SiLU): x·sigmoid(x).</summary>
    public static Tensor Swish(this Tensor x)
    {
        var y = TensorMath.Swish(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "swish", [x], g => [TensorMath.Map("swish_backward", new SwishBackward(), x, g)]);
        return y;
    }
}
