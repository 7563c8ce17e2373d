using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution of x (N, C, H, W) with weights (OC, C, KH, KW) plus an optional bias (OC),
    /// PyTorch's layout and Keras's 'same'/'valid' padding, stride and dilation 1 unless given. An activation the
    /// bias+activation kernel computes can be fused into the pass writing the output; backward then
    /// turns the output gradient into the pre-activation gradient (from the output alone) before the
    /// input gradient, by the transposed convolution, and the weight and bias gradients, summed over the batch.
    /// </summary>
    public static Tensor Conv2D(this Tensor x, Tensor weights, Tensor? bias = null, Size2D? stride = null, ConvPadding padding = ConvPadding.Valid,
        Size2D? dilation = null) =>
        Conv2D(x, weights, bias, stride, padding, BiasActivationKind.Identity, 0f, dilation);

    /// <summary><see cref="Conv2D(Tensor, Tensor, Tensor?, Size2D?, ConvPadding, Size2D?)"/> with the activation fused into the output pass.</summary>
    internal static Tensor Conv2D(this Tensor x, Tensor weights, Tensor? bias, Size2D? stride, ConvPadding padding,
        BiasActivationKind activation, float alpha, Size2D? dilation = null) =>
        Conv2D(x, weights, bias, TensorMath.ConvShape(x, weights, stride ?? 1, padding, dilation ?? 1), activation, alpha);

    /// <summary>The convolution over an explicit window: PyTorch's and ONNX's numeric borders, possibly uneven.</summary>
    internal static Tensor Conv2D(this Tensor x, Tensor weights, Tensor? bias, ConvWindow window) =>
        Conv2D(x, weights, bias, TensorMath.ConvShape(x, weights, window), BiasActivationKind.Identity, 0f);

    private static Tensor Conv2D(Tensor x, Tensor weights, Tensor? bias, Conv2DShape shape, BiasActivationKind activation, float alpha)
    {
        var y = TensorMath.Conv2D(x, weights, bias, shape, activation, alpha);
        Tensor[] inputs = bias is null ? [x, weights] : [x, weights, bias];
        if (Tape.ShouldRecord(inputs))
        {
            Tape.Record(y, activation == BiasActivationKind.Identity ? "conv2d" : "conv2d_bias_activation", inputs, g =>
            {
                var preActivation = g;
                if (activation != BiasActivationKind.Identity)
                {
                    preActivation = Tensor.Uninitialized(y.Shape);
                    BiasActivation.Backward(activation, alpha, y.Shape[0], y.Shape[1], y.Shape.SizeFrom(2), y.Span, g.Span, preActivation.Span, default);
                }
                var (inputGradient, weightGradient, biasGradient) = TensorMath.Conv2DGradients(shape, x, weights, preActivation,
                    input: x.RequiresGrad, parameters: weights.RequiresGrad || bias?.RequiresGrad == true);
                if (preActivation != g) TensorPool.Recycle(preActivation);
                return bias is null ? [inputGradient, weightGradient] : [inputGradient, weightGradient, biasGradient];
            });
        }
        return y;
    }
}
