using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Indices [start, start+length) along one axis (a slice). Along the first axis the result is
    /// a view (Tensor.Slice); elsewhere a copy. The gradient is zero outside the slice.
    /// </summary>
    public static Tensor Narrow(this Tensor x, int axis, int start, int length)
    {
        int a = x.Shape.Axis(axis);
        var y = a == 0 ? x.RowsView(start, length) : TensorMath.Narrow(x, a, start, length);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "narrow", [x], g => [TensorMath.Unnarrow(g, x.Shape, a, start)]);
        return y;
    }
}
