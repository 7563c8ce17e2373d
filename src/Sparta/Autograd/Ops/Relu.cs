using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>max(x, 0); the gradient at 0 is 0.</summary>
    public static Tensor Relu(this Tensor x)
    {
        var y = TensorMath.Relu(x);
        if (Tape.ShouldRecord(x)) Tape.Record(y, "relu", [x], new ReluGradients());
        return y;
    }

    /// <summary>The output gradient where the input is positive, 0 elsewhere.</summary>
    private readonly struct ReluGradients : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients) =>
            gradients[0] = TensorMath.Map("relu_backward", new ReluBackward(), inputs[0], g);
    }
}
