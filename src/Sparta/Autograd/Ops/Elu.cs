using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    public static Tensor Elu(this Tensor x, float alpha = 1f)
    {
        var y = TensorMath.Elu(x, alpha);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "elu", [x], g => [TensorMath.Map("elu_backward", new EluBackward(alpha), x, g)]);
        return y;
    }
}
