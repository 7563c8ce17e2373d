using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Mean over the batch of −Σ targets · log_softmax(logits) over the last axis, for logits
    /// (batch, classes) and target probabilities (one-hot or soft) of the same shape. One fused
    /// kernel computes the loss and its gradient (softmax·Σt − t)/batch in the forward pass; it
    /// replaces the composition of log-softmax, multiply and sum, which it matches (see the tests)
    /// at a fraction of the passes and allocations.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets)
    {
        if (logits.Rank != 2 || targets.Shape != logits.Shape)
            throw new ArgumentException($"softmax_cross_entropy: expected logits (batch, classes) and targets of the same shape, got {logits.Shape} and {targets.Shape}");
        int rows = logits.Shape[0], classes = logits.Shape[1];
        var logitsGradient = Tape.ShouldRecord(logits) ? Tensor.Uninitialized(logits.Shape) : null;
        double loss = Kernels.SoftmaxCrossEntropy.Dense(rows, classes, logits.Span, targets.Span,
            logitsGradient is null ? default : logitsGradient.Span);
        var y = Tensor.Scalar((float)loss);
        if (Tape.ShouldRecord(logits, targets))
            Tape.Record(y, "softmax_cross_entropy", [logits, targets], g =>
            {
                float upstream = g.Span[0];
                // d/dtargets = −log_softmax(logits)/batch, needed only when targets are themselves computed (distillation).
                Tensor? targetsGradient = null;
                if (targets.RequiresGrad)
                {
                    targetsGradient = Tensor.Uninitialized(logits.Shape);
                    Kernels.SoftmaxKernel.LogForward(rows, classes, logits.Span, targetsGradient.Span);
                    TensorMath.Multiply(targetsGradient, -upstream / rows, targetsGradient);
                }
                var scaled = logitsGradient is null ? null : TensorMath.Multiply(logitsGradient, upstream);
                if (logitsGradient is not null) Tape.ReleaseSaved(logitsGradient);
                return [scaled, targetsGradient];
            });
        return y;
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy(Tensor, Tensor)"/> with class indices as targets (sparse labels),
    /// without building the one-hot matrix.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, ReadOnlySpan<int> labels)
    {
        if (logits.Rank != 2 || labels.Length != logits.Shape[0])
            throw new ArgumentException($"softmax_cross_entropy: expected logits (batch, classes) and one label per row, got {logits.Shape} and {labels.Length} labels");
        int rows = logits.Shape[0], classes = logits.Shape[1];
        var logitsGradient = Tape.ShouldRecord(logits) ? Tensor.Uninitialized(logits.Shape) : null;
        double loss = Kernels.SoftmaxCrossEntropy.Sparse(rows, classes, logits.Span, labels,
            logitsGradient is null ? default : logitsGradient.Span);
        var y = Tensor.Scalar((float)loss);
        if (logitsGradient is not null) SparseSoftmaxCrossEntropyNode.Record(y, "softmax_cross_entropy", [logits]).LogitsGradient = logitsGradient;
        return y;
    }

    /// <summary>The sparse loss's backward: the gradient its forward computed, scaled by the upstream one.</summary>
    private sealed class SparseSoftmaxCrossEntropyNode : RecycledNode<SparseSoftmaxCrossEntropyNode>
    {
        public Tensor LogitsGradient = null!;

        public override Tensor?[] Backward(Tensor g)
        {
            var gradients = Gradients();
            gradients[0] = TensorMath.Multiply(LogitsGradient, g.Span[0]);
            Tape.ReleaseSaved(LogitsGradient);
            return gradients;
        }

        protected override void Forget() => LogitsGradient = null!;
    }
}
