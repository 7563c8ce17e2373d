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

    /// <summary>Composite: <see cref="SoftmaxCrossEntropy(Tensor, Tensor)"/> with class indices as targets (sparse labels).</summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, ReadOnlySpan<int> labels)
    {
        if (logits.Rank != 2 || labels.Length != logits.Shape[0])
            throw new ArgumentException($"softmax_cross_entropy: expected logits (batch, classes) and one label per row, got {logits.Shape} and {labels.Length} labels");
        int classes = logits.Shape[1];
        var targets = Tensor.Zeros(logits.Shape);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"softmax_cross_entropy: label {labels[i]} at row {i} is not one of the {classes} classes");
            targets.Span[i * classes + labels[i]] = 1f;
        }
        return SoftmaxCrossEntropy(logits, targets);
    }
}
