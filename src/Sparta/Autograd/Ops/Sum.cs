using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>The sum of all values (a rank-0 tensor); every input receives the output's gradient.</summary>
    public static Tensor Sum(this Tensor x)
    {
        var y = TensorMath.Sum(x);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "sum", [x], new SumGradients(0, axisDropped: false));
        return y;
    }

    /// <summary>Sums over one axis (negative counts from the end), dropping it unless <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(this Tensor x, int axis, bool keepDims = false)
    {
        var y = TensorMath.Sum(x, axis, keepDims);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "sum", [x], new SumGradients(axis, axisDropped: !keepDims));
        return y;
    }

    /// <summary>The output gradient broadcast back over the summed axis (or every axis), viewed with the axis first when the sum dropped it.</summary>
    private readonly struct SumGradients(int axis, bool axisDropped) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            var x = inputs[0];
            gradients[0] = TensorMath.BroadcastTo(axisDropped ? g.View(x.Shape.Reduced(axis, keepDims: true)) : g, x.Shape);
        }
    }
}
