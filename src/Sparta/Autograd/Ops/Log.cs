using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(this Tensor x)
    {
        var y = TensorMath.Log(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "log", [x], g => [TensorMath.Divide(g, x)]);
        return y;
    }
}
