using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Max pooling over the spatial axes of x (N, C, H, W) with a (height, width) window, 2 unless given;
    /// stride defaults to the pool size.
    /// The forward records which input each output took; backward routes the gradient there.
    /// </summary>
    public static Tensor MaxPool2D(this Tensor x, Size2D? poolSize = null, Size2D? stride = null, ConvPadding padding = ConvPadding.Valid)
    {
        var window = TensorMath.PoolWindow("max_pool2d", x, poolSize ?? 2, stride, padding);
        var argmax = new int[x.Shape[0] * x.Shape[1] * window.OutPixels];
        var y = TensorMath.MaxPool2D(x, window, argmax);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, "max_pool2d", [x], g =>
            {
                var dx = Tensor.Uninitialized(x.Shape);
                Pool2D.MaxBackward(window, x.Shape[0] * x.Shape[1], g.Span, argmax, dx.Span);
                return [dx];
            });
        return y;
    }
}
