using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>The sum of all values (a rank-0 tensor); every input receives the output's gradient.</summary>
    public static Tensor Sum(this Tensor x)
    {
        var y = TensorMath.Sum(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "sum", [x], g => [TensorMath.BroadcastTo(g, x.Shape)]);
        return y;
    }

    /// <summary>Sums over one axis (negative counts from the end), dropping it unless <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(this Tensor x, int axis, bool keepDims = false)
    {
        var y = TensorMath.Sum(x, axis, keepDims);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "sum", [x], g => [TensorMath.BroadcastTo(g.View(x.Shape.Reduced(axis, keepDims: true)), x.Shape)]);
        return y;
    }
}
