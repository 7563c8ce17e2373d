using System.Buffers;
using Sparta.Kernels.Vectors;
using Sparta.Autograd;
using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Losses;

/// <summary>
/// Cross-entropy −Σ t·log p over classes (last axis), mean over the batch, for one-hot or soft
/// targets. By default predictions are logits and the log-softmax is taken stably inside
/// (<c>from_logits: true</c>, Keras' default is false); with false they are probabilities: a softmax
/// activation's output is read through its logits (the same loss and gradient as from logits, stably),
/// other probabilities are clipped to [ε, 1 − ε].
/// </summary>
public sealed class CategoricalCrossEntropy : Loss
{
    public CategoricalCrossEntropy(bool fromLogits = true) => FromLogits = fromLogits;

    public bool FromLogits { get; }
    public override string Name => "categorical_crossentropy";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        return CrossEntropy.FromTargets(predictions, targets, FromLogits);
    }

    public override ComponentConfig GetConfig() => new(Name, [new("from_logits", FromLogits)]);
}

/// <summary>
/// Categorical cross-entropy with one class index per row as target (shape (batch) or (batch, 1),
/// integer values stored as floats); from logits by default, through the fused softmax cross-entropy,
/// which also takes a softmax activation's output through its logits when from_logits is false.
/// </summary>
public sealed class SparseCategoricalCrossEntropy : Loss
{
    public SparseCategoricalCrossEntropy(bool fromLogits = true) => FromLogits = fromLogits;

    public bool FromLogits { get; }
    public override string Name => "sparse_categorical_crossentropy";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        if (predictions.Rank != 2) throw new ArgumentException($"loss '{Name}': predictions must be (batch, classes), got {predictions.Shape}");
        int rows = predictions.Shape[0], classes = predictions.Shape[1];
        if (targets.Size != rows || targets.Rank > 2 || targets.Shape[0] != rows)
            throw new ArgumentException($"loss '{Name}': targets must hold one class index per row, shape ({rows}) or ({rows}, 1), got {targets.Shape}");
        // The labels are read by the forward pass alone (the fused kernel makes the gradient there), so a rented array serves every step.
        var rented = ArrayPool<int>.Shared.Rent(rows);
        try
        {
            var labels = rented.AsSpan(0, rows);
            ReadLabels(targets.Span, classes, labels);
            return FromLabels(predictions, labels);
        }
        finally { ArrayPool<int>.Shared.Return(rented); }
    }

    private void ReadLabels(ReadOnlySpan<float> values, int classes, Span<int> labels)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            float v = values[i];
            if (v != MathF.Floor(v) || v < 0 || v >= classes)
                throw new ArgumentOutOfRangeException("targets", $"loss '{Name}': target {v} at row {i} is not a class index in [0, {classes})");
            labels[i] = (int)v;
        }
    }

    private Tensor FromLabels(Tensor predictions, ReadOnlySpan<int> labels)
    {
        if (FromLogits) return Ops.SoftmaxCrossEntropy(predictions, labels);
        if (CrossEntropy.SoftmaxLogits(predictions) is { } logits) return Ops.SoftmaxCrossEntropy(logits, labels).Bypassing(predictions);
        int classes = predictions.Shape[1];
        var oneHot = Tensor.Zeros(predictions.Shape);
        for (int i = 0; i < labels.Length; i++) oneHot.Span[i * classes + labels[i]] = 1f;
        return CrossEntropy.FromTargets(predictions, oneHot, fromLogits: false);
    }

    public override ComponentConfig GetConfig() => new(Name, [new("from_logits", FromLogits)]);
}

/// <summary>
/// Binary cross-entropy −[t·log p + (1 − t)·log(1 − p)], averaged over all outputs. From logits z
/// (default) it is computed as max(z, 0) − z·t + log(1 + e^(−|z|)), which never overflows; so is a
/// sigmoid activation's output with from_logits false, through its logits, and other probabilities are clipped to [ε, 1 − ε].
/// </summary>
public sealed class BinaryCrossEntropy : Loss
{
    public BinaryCrossEntropy(bool fromLogits = true) => FromLogits = fromLogits;

    public bool FromLogits { get; }
    public override string Name => "binary_crossentropy";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        if (FromLogits) return FromLogitValues(predictions, targets);
        if (predictions.SigmoidLogits is { } logits) return FromLogitValues(logits, targets).Bypassing(predictions);
        var p = predictions.Clamp(CrossEntropy.Epsilon, 1f - CrossEntropy.Epsilon);
        return -(targets * p.Log() + (1f - targets) * (1f - p).Log()).Mean();
    }

    public override ComponentConfig GetConfig() => new(Name, [new("from_logits", FromLogits)]);

    private static Tensor FromLogitValues(Tensor z, Tensor targets) => (z.Relu() - z * targets + (-z.Abs()).Softplus()).Mean();
}

/// <summary>Hinge, mean of max(0, 1 − t·p) for targets −1 or 1 (targets 0/1 are read as −1/1, as Keras does).</summary>
public sealed class Hinge : Loss
{
    public override string Name => "hinge";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        var signs = TensorMath.Map("hinge_targets", new ZeroOneToSign(), targets);
        return (1f - predictions * signs).Relu().Mean();
    }

    private readonly struct ZeroOneToSign : Kernels.IUnaryOperator
    {
        public float Invoke(float t) => t == 0f ? -1f : t;
        public TVector Invoke<TVector>(TVector t) where TVector : struct, IFloatVector<TVector> =>
            TVector.Select(TVector.EqualTo(t, TVector.Zero), TVector.Create(-1f), t);
    }
}

/// <summary>Kullback-Leibler divergence Σ t·log(t / p) over the last axis, mean over the batch; both are probabilities, clipped to [ε, 1].</summary>
public sealed class KLDivergence : Loss
{
    public override string Name => "kl_divergence";

    public override Tensor Compute(Tensor predictions, Tensor targets)
    {
        SameShape(predictions, targets);
        var t = targets.Clamp(CrossEntropy.Epsilon, 1f);
        var p = predictions.Clamp(CrossEntropy.Epsilon, 1f);
        return (t * (t.Log() - p.Log())).Sum(-1).Mean();
    }
}

/// <summary>Shared by the cross-entropies: the dense-target forms.</summary>
internal static class CrossEntropy
{
    /// <summary>Keras' epsilon for clipping probabilities.</summary>
    public const float Epsilon = 1e-7f;

    public static Tensor FromTargets(Tensor predictions, Tensor targets, bool fromLogits)
    {
        if (fromLogits && predictions.Rank == 2) return Ops.SoftmaxCrossEntropy(predictions, targets);
        if (!fromLogits && SoftmaxLogits(predictions) is { } logits) return Ops.SoftmaxCrossEntropy(logits, targets).Bypassing(predictions);
        var logProbabilities = fromLogits ? predictions.LogSoftmax(-1) : predictions.Clamp(Epsilon, 1f - Epsilon).Log();
        return -(targets * logProbabilities).Sum(-1).Mean();
    }

    /// <summary>The logits under probabilities (batch, classes) that a softmax activation has just computed, or null.</summary>
    public static Tensor? SoftmaxLogits(Tensor probabilities) =>
        probabilities.Rank == 2 && probabilities.SoftmaxLogits is { } logits && logits.Shape == probabilities.Shape ? logits : null;
}
