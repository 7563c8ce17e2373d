using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Composite: log softmax over an axis, x − m − log Σ exp(x − m) with m the maximum. m only
    /// keeps exp from overflowing; it cancels mathematically, so it is detached from the tape.
    /// </summary>
    public static Tensor LogSoftmax(this Tensor x, int axis = -1)
    {
        var shifted = x - x.Detach().Max(axis, keepDims: true);
        return shifted - shifted.Exp().Sum(axis, keepDims: true).Log();
    }
}
