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
        if (!Tape.IsRecording || !(x.RequiresGrad || weights.RequiresGrad || bias?.RequiresGrad == true)) return y;
        string op = activation == BiasActivationKind.Identity ? "conv2d" : "conv2d_bias_activation";
        var node = bias is null ? Conv2DNode.Record(y, op, [x, weights]) : Conv2DNode.Record(y, op, [x, weights, bias]);
        (node.Output, node.Shape, node.Activation, node.Alpha) = (y, shape, activation, alpha);
        return y;
    }

    /// <summary>
    /// The convolution's backward: the pre-activation gradient from the output alone (when an activation was fused),
    /// then the input gradient by the transposed convolution and the weight and bias gradients, summed over the batch.
    /// </summary>
    private sealed class Conv2DNode : RecycledNode<Conv2DNode>
    {
        public Tensor Output = null!;
        public Conv2DShape Shape;
        public BiasActivationKind Activation;
        public float Alpha;

        public override Tensor?[] Backward(Tensor g)
        {
            var (x, weights) = (Inputs[0], Inputs[1]);
            var bias = Inputs.Length > 2 ? Inputs[2] : null;
            bool input = x.RequiresGrad, parameters = weights.RequiresGrad || bias?.RequiresGrad == true;
            // ReLU's slope applied as the blocked kernels read g: no pre-activation gradient written and read back.
            // The lanes are read once: the kernels run at the widths this check saw.
            if (Activation == BiasActivationKind.Relu && Conv2DBackwardLanes.For(Shape) is var lanes && lanes.FusesRelu(input, parameters))
                return Assign(TensorMath.Conv2DGradients(Shape, x, weights, g, input, parameters, Output, lanes), bias is not null);
            var preActivation = g;
            if (Activation != BiasActivationKind.Identity)
            {
                var y = Output;
                preActivation = Tensor.Uninitialized(y.Shape);
                BiasActivation.Backward(Activation, Alpha, y.Shape[0], y.Shape[1], y.Shape.SizeFrom(2), y.Span, g.Span, preActivation.Span, default);
            }
            var result = TensorMath.Conv2DGradients(Shape, x, weights, preActivation, input, parameters);
            if (preActivation != g) TensorPool.Recycle(preActivation);
            return Assign(result, bias is not null);
        }

        private Tensor?[] Assign((Tensor? Input, Tensor? Weights, Tensor? Bias) result, bool hasBias)
        {
            var gradients = Gradients();
            (gradients[0], gradients[1]) = (result.Input, result.Weights);
            if (hasBias) gradients[2] = result.Bias;
            // The kernels sum the bias gradient with the weights' whether or not there is a bias: unused, it goes back.
            else if (result.Bias is not null) TensorPool.Recycle(result.Bias);
            return gradients;
        }

        protected override void Forget() => Output = null!;
    }
}
