using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Zeros around images (N, C, H, W): <paramref name="padding"/>.Height rows above and below,
    /// .Width columns either side. The gradient is the output gradient's interior.
    /// </summary>
    public static Tensor ZeroPad2D(this Tensor x, Size2D padding)
    {
        var y = TensorMath.ZeroPad2D(x, padding);
        if (Tape.ShouldRecord(x)) Tape.Record(y, "zero_pad2d", [x], new ZeroPad2DGradients(padding));
        return y;
    }

    private readonly struct ZeroPad2DGradients(Size2D padding) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients) => gradients[0] = TensorMath.CropPadding2D(g, padding);
    }
}
