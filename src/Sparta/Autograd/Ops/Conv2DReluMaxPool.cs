using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// A ReLU convolution of x (N, C, H, W) and the max pooling over <paramref name="pool"/> after it, recorded as
    /// one op for a training step: the convolution's full output is never written, and backward rebuilds its
    /// gradient from the pooled one and the window cell of each maximum, sample by sample in cache. The values are
    /// those of <c>Conv2D</c> with ReLU then <c>MaxPool2D</c>, bit for bit. Null when the kernels do not take it
    /// (or nothing needs a gradient of the weights): the caller then runs the two ops.
    /// </summary>
    internal static Tensor? Conv2DReluMaxPool(Tensor x, Tensor weights, Tensor? bias, Conv2DShape shape, ConvWindow pool)
    {
        bool input = x.RequiresGrad, parameters = weights.RequiresGrad || bias?.RequiresGrad == true;
        if (!Tape.IsRecording || !parameters) return null;
        int lanes = Conv2DKernel.PooledLanes(shape, pool, input);
        if (lanes == 0) return null;
        var (y, cells) = TensorMath.Conv2DReluMaxPool(x, weights, bias, shape, pool, lanes);
        var node = bias is null ? Conv2DReluMaxPoolNode.Record(y, "conv2d_relu_max_pool2d", [x, weights])
            : Conv2DReluMaxPoolNode.Record(y, "conv2d_relu_max_pool2d", [x, weights, bias]);
        (node.Output, node.Cells, node.Shape, node.Pool, node.Lanes) = (y, cells, shape, pool, lanes);
        return y;
    }

    /// <summary>The pooled convolution's backward, at the lanes its forward ran (the cells are laid out in them).</summary>
    private sealed class Conv2DReluMaxPoolNode : RecycledNode<Conv2DReluMaxPoolNode>
    {
        public Tensor Output = null!;
        public Tensor Cells = null!;
        public Conv2DShape Shape;
        public ConvWindow Pool;
        public int Lanes;

        public override Tensor?[] Backward(Tensor g)
        {
            var (x, weights) = (Inputs[0], Inputs[1]);
            bool hasBias = Inputs.Length > 2;
            var (dx, dw, db) = TensorMath.Conv2DReluMaxPoolGradients(Shape, Pool, Lanes, x, weights, Output, Cells, g, x.RequiresGrad, hasBias);
            Tape.ReleaseSaved(Cells);
            var gradients = Gradients();
            (gradients[0], gradients[1]) = (dx, dw);
            if (hasBias) gradients[2] = db;
            return gradients;
        }

        protected override void Forget() => (Output, Cells) = (null!, null!);
    }
}
