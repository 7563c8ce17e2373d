using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Average pooling over the spatial axes of x (N, C, H, W) with a (height, width) window, 2 unless given;
    /// stride defaults to the pool size; a dilation rate above 1 reads every rate-th cell.
    /// A 'same' window averages only the cells inside the image (Keras's rule); backward spreads
    /// each output gradient evenly over those cells.
    /// </summary>
    public static Tensor AveragePool2D(this Tensor x, Size2D? poolSize = null, Size2D? stride = null, ConvPadding padding = ConvPadding.Valid, Size2D? dilation = null) =>
        AveragePool2D(x, TensorMath.PoolWindow("average_pool2d", x, poolSize ?? 2, stride, padding, dilation ?? 1));

    /// <summary>The pooling over an explicit window (numeric borders, possibly uneven); cells of the border are left out.</summary>
    internal static Tensor AveragePool2D(this Tensor x, ConvWindow window)
    {
        if (x.Rank != 4 || window.Height != x.Shape[2] || window.Width != x.Shape[3])
            throw new ArgumentException($"average_pool2d: input {x.Shape} does not match the window's {window.Height}x{window.Width} plane");
        if (window.DilationHeight != 1 || window.DilationWidth != 1) return DilatedAveragePool2D(x, window);
        var y = TensorMath.AveragePool2D(x, window);
        if (Tape.ShouldRecord(x)) Tape.Record(y, "average_pool2d", [x], new AveragePool2DGradients(window));
        return y;
    }

    /// <summary>Each output gradient spread evenly over the cells its window averaged.</summary>
    private readonly struct AveragePool2DGradients(ConvWindow window) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            var x = inputs[0];
            var dx = Tensor.Uninitialized(x.Shape);
            Pool2D.AverageBackward(window, x.Shape[0] * x.Shape[1], g.Span, dx.Span);
            gradients[0] = dx;
        }
    }
}
