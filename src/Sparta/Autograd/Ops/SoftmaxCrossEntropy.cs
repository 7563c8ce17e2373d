using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Composite: mean over the batch of −Σ targets · log_softmax(logits) over the last axis, for
    /// logits (batch, classes) and target probabilities (one-hot or soft) of the same shape.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets)
    {
        if (logits.Rank != 2 || targets.Shape != logits.Shape)
            throw new ArgumentException($"softmax_cross_entropy: expected logits (batch, classes) and targets of the same shape, got {logits.Shape} and {targets.Shape}");
        return (targets * logits.LogSoftmax(-1)).Sum() * (-1f / logits.Shape[0]);
    }
}
