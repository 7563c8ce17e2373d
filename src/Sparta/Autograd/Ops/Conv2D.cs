using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution of x (N, C, H, W) with weights (OC, C, KH, KW) plus an optional bias (OC),
    /// PyTorch's layout and Keras's 'same'/'valid' padding. Backward gives the input gradient by the
    /// transposed convolution and the weight and bias gradients summed over the batch.
    /// </summary>
    public static Tensor Conv2D(this Tensor x, Tensor weights, Tensor? bias = null, int stride = 1, ConvPadding padding = ConvPadding.Valid)
    {
        var y = TensorMath.Conv2D(x, weights, bias, stride, padding);
        Tensor[] inputs = bias is null ? [x, weights] : [x, weights, bias];
        if (Tape.ShouldRecord(inputs))
        {
            var shape = TensorMath.ConvShape(x, weights, stride, padding);
            Tape.Record(y, "conv2d", inputs, g =>
            {
                var (inputGradient, weightGradient, biasGradient) = TensorMath.Conv2DGradients(shape, x, weights, g,
                    input: x.RequiresGrad, parameters: weights.RequiresGrad || bias?.RequiresGrad == true);
                return bias is null ? [inputGradient, weightGradient] : [inputGradient, weightGradient, biasGradient];
            });
        }
        return y;
    }
}
