using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>1 / (1 + e⁻ˣ); the derivative y·(1 − y) comes from the output.</summary>
    public static Tensor Sigmoid(this Tensor x)
    {
        var y = TensorMath.Sigmoid(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "sigmoid", [x], g => [TensorMath.Map("sigmoid_backward", new SigmoidBackward(), y, g)]);
        return y;
    }
}
