using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// The mean of each channel's H×W plane, x (N, C, H, W) → (N, C): one op for the reshape, sum over the plane and
    /// scale by 1/(H·W) it replaces, with their bits (the same sum in the same order, the same product); backward
    /// writes each plane's output gradient times 1/(H·W) over the plane.
    /// </summary>
    public static Tensor GlobalAveragePool2D(this Tensor x)
    {
        if (x.Rank != 4) throw new ArgumentException($"global_average_pool2d: expected input (N, C, H, W), got {x.Shape}");
        int plane = x.Shape[2] * x.Shape[3];
        var y = Tensor.Uninitialized(Shape.Of([x.Shape[0], x.Shape[1]]));
        Reduce.SumAxis(x.Span, y.Size, plane, 1, y.Span);
        float scale = 1f / plane;
        TensorMath.Multiply(y, scale, y);
        if (Tape.ShouldRecord(x)) Tape.Record(y, "global_average_pool2d", [x], new GlobalAveragePool2DGradients(scale));
        return y;
    }

    private readonly struct GlobalAveragePool2DGradients(float scale) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            var x = inputs[0];
            var dx = Tensor.Uninitialized(x.Shape);
            int plane = x.Shape[2] * x.Shape[3];
            ReadOnlySpan<float> source = g.Span;
            var target = dx.Span;
            for (int p = 0; p < source.Length; p++) target.Slice(p * plane, plane).Fill(source[p] * scale);
            gradients[0] = dx;
        }
    }
}
