using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>max(x, 0); the gradient at 0 is 0.</summary>
    public static Tensor Relu(this Tensor x)
    {
        var y = TensorMath.Relu(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "relu", [x], g => [TensorMath.Map("relu_backward", new ReluBackward(), x, g)]);
        return y;
    }
}
