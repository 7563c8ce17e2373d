using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>x limited to [min, max]; no gradient flows where it was clamped.</summary>
    public static Tensor Clamp(this Tensor x, float min, float max)
    {
        var y = TensorMath.Clamp(x, min, max);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "clamp", [x], g => [TensorMath.Map("clamp_backward", new ClampBackward(min, max), x, g)]);
        return y;
    }
}
