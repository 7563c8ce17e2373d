namespace Sparta.Tensors;

// What a probability output was computed from, as Keras keeps `_keras_logits` on a softmax's or a
// sigmoid's output: a cross-entropy on probabilities then reads the logits instead, stably and with
// the exact gradient, and the value is the same whether the last layer applies the activation or the loss does.
public sealed partial class Tensor
{
    /// <summary>For the output of a softmax activation over the last axis, the values it was applied to; else null.</summary>
    /// <remarks>Set by the activation, read by a loss on the output it has just been given (a later step may have reused the logits' buffer).</remarks>
    internal Tensor? SoftmaxLogits { get; set; }

    /// <summary>For the output of a sigmoid activation, the values it was applied to; else null (see <see cref="SoftmaxLogits"/>).</summary>
    internal Tensor? SigmoidLogits { get; set; }
}
