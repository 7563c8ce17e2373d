using System.Runtime.InteropServices;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Max pooling over the spatial axes of x (N, C, H, W) with a (height, width) window, 2 unless given;
    /// stride defaults to the pool size; a dilation rate above 1 reads every rate-th cell (PyTorch's <c>dilation</c>).
    /// The forward records which input each output took; backward routes the gradient there. Off the
    /// tape, the usual 2x2 stride-2 window computes the values alone.
    /// </summary>
    public static Tensor MaxPool2D(this Tensor x, Size2D? poolSize = null, Size2D? stride = null, ConvPadding padding = ConvPadding.Valid, Size2D? dilation = null) =>
        MaxPool2D(x, TensorMath.PoolWindow("max_pool2d", x, poolSize ?? 2, stride, padding, dilation ?? 1));

    /// <summary>The pooling over an explicit window (numeric borders, possibly uneven); cells of the border are left out.</summary>
    internal static Tensor MaxPool2D(this Tensor x, ConvWindow window)
    {
        if (x.Rank != 4 || window.Height != x.Shape[2] || window.Width != x.Shape[3])
            throw new ArgumentException($"max_pool2d: input {x.Shape} does not match the window's {window.Height}x{window.Width} plane");
        if (window.DilationHeight != 1 || window.DilationWidth != 1) return DilatedMaxPool2D(x, window);
        if (!Tape.ShouldRecord(x) && Pool2DMaxValues.Handles(window)) return TensorMath.MaxPool2DValues(x, window);
        // The indices live in a float buffer of the output's size, so a training loop's pool lends and takes it back.
        var argmax = Tensor.Uninitialized(Shape.Of([x.Shape[0] * x.Shape[1] * window.OutPixels]));
        var y = TensorMath.MaxPool2D(x, window, MemoryMarshal.Cast<float, int>(argmax.Span));
        if (Tape.ShouldRecord(x))
        {
            var node = MaxPool2DNode.Record(y, "max_pool2d", [x]);
            (node.Window, node.Argmax) = (window, argmax);
        }
        return y;
    }

    /// <summary>Max pooling's backward: each output's gradient to the input its forward took (the indices it saved).</summary>
    private sealed class MaxPool2DNode : RecycledNode<MaxPool2DNode>
    {
        public ConvWindow Window;
        public Tensor Argmax = null!;

        public override Tensor?[] Backward(Tensor g)
        {
            var x = Inputs[0];
            var dx = Tensor.Uninitialized(x.Shape);
            Pool2D.MaxBackward(Window, x.Shape[0] * x.Shape[1], g.Span, MemoryMarshal.Cast<float, int>(Argmax.Span), dx.Span);
            Tape.ReleaseSaved(Argmax);
            var gradients = Gradients();
            gradients[0] = dx;
            return gradients;
        }

        protected override void Forget() => Argmax = null!;
    }
}
