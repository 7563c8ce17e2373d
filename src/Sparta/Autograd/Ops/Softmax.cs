using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Softmax over an axis, exp(x − m) / Σ exp(x − m) with m the maximum. Over the last axis (a
    /// classifier's output) it is one pass of the softmax kernel each way, backward dx = y ⊙ (g − Σ g·y)
    /// from the output alone; over another axis it is composed of taped ops.
    /// </summary>
    public static Tensor Softmax(this Tensor x, int axis = -1)
    {
        if (x.Rank == 0) throw new ArgumentException("softmax: needs at least one axis, got a scalar");
        int last = x.Rank - 1;
        if ((axis < 0 ? axis + x.Rank : axis) != last || x.Shape[last] == 0)
        {
            var exponentials = (x - x.Detach().Max(axis, keepDims: true)).Exp();
            return exponentials / exponentials.Sum(axis, keepDims: true);
        }
        int columns = x.Shape[last], rows = x.Size / columns;
        var y = Tensor.Uninitialized(x.Shape);
        SoftmaxKernel.Forward(rows, columns, x.Span, y.Span);
        if (Tape.ShouldRecord(x)) Tape.Record(y, "softmax", [x], new SoftmaxGradients(y, rows, columns));
        return y;
    }

    /// <summary>The last axis's softmax backward, from the output alone.</summary>
    private readonly struct SoftmaxGradients(Tensor y, int rows, int columns) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            var dx = Tensor.Uninitialized(inputs[0].Shape);
            SoftmaxKernel.Backward(rows, columns, y.Span, g.Span, dx.Span);
            gradients[0] = dx;
        }
    }
}
