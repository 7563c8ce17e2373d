using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>x for x &gt; 0, alpha·x otherwise (Keras and PyTorch default alpha: 0.01).</summary>
    public static Tensor LeakyRelu(this Tensor x, float alpha = 0.01f)
    {
        var y = TensorMath.LeakyRelu(x, alpha);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "leaky_relu", [x], g => [TensorMath.Map("leaky_relu_backward", new LeakyReluBackward(alpha), x, g)]);
        return y;
    }
}
