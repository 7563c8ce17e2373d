using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Batch normalization with the batch's statistics: y = γ·(x − μ)/√(σ² + ε) + β per channel, x of
    /// shape (N, C, ...) with μ and σ² (biased) over every axis but C; <paramref name="gamma"/> and
    /// <paramref name="beta"/> (C) may be null (1 and 0). One fused op in place of the composition of
    /// sums, subtraction, division and affine it matches (see the tests), keeping only x and two numbers
    /// per channel for backward, which is the closed-form gradient. The batch's mean and variance are
    /// written to <paramref name="batchMean"/> and <paramref name="batchVariance"/> when given (for running averages).
    /// </summary>
    public static Tensor BatchNorm(this Tensor x, Tensor? gamma, Tensor? beta, float epsilon,
        Tensor? batchMean = null, Tensor? batchVariance = null) =>
        BatchNorm(x, gamma, beta, epsilon, BiasActivationKind.Identity, 0f, batchMean, batchVariance);

    /// <summary>
    /// <see cref="BatchNorm(Tensor, Tensor?, Tensor?, float, Tensor?, Tensor?)"/> followed by an activation the
    /// bias+activation kernel computes, in the same op: the normalized values before the activation are
    /// never kept, and backward turns the output gradient into theirs from the output alone (made again from
    /// x when the output went back to the pool before backward).
    /// </summary>
    internal static Tensor BatchNorm(this Tensor x, Tensor? gamma, Tensor? beta, float epsilon, BiasActivationKind activation, float alpha,
        Tensor? batchMean = null, Tensor? batchVariance = null)
    {
        if (x.Rank < 2) throw new ArgumentException($"batch_norm: expected input (N, C, ...), got {x.Shape}");
        int batch = x.Shape[0], channels = x.Shape[1], plane = x.Shape.SizeFrom(2);
        foreach (var (what, t) in new[] { ("gamma", gamma), ("beta", beta), ("batch mean", batchMean), ("batch variance", batchVariance) })
            if (t is not null && t.Size != channels)
                throw new ArgumentException($"batch_norm: {what} must hold one value per channel ({channels}), got shape {t.Shape}");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"batch_norm: epsilon must be positive, got {epsilon}");

        float[] mean = new float[channels], variance = new float[channels];
        BatchNormKernel.Statistics(batch, channels, plane, x.Span, mean, variance);
        if (batchMean is not null) mean.CopyTo(batchMean.Span);
        if (batchVariance is not null) variance.CopyTo(batchVariance.Span);
        float[] inverseDeviation = new float[channels], scale = new float[channels], shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            inverseDeviation[c] = 1f / MathF.Sqrt(variance[c] + epsilon);
            scale[c] = (gamma is null ? 1f : gamma.Span[c]) * inverseDeviation[c];
            shift[c] = (beta is null ? 0f : beta.Span[c]) - mean[c] * scale[c];
        }
        // The output, and again in backward when it was given back (see below): the same passes, the same values.
        Tensor NormalizeInto(Tensor target)
        {
            BatchNormKernel.Normalize(batch, channels, plane, x.Span, scale, shift, target.Span);
            if (activation != BiasActivationKind.Identity)
                BiasActivation.Forward(activation, alpha, batch, channels, plane, target.Span, default, target.Span);
            return target;
        }
        var y = NormalizeInto(Tensor.Uninitialized(x.Shape));

        Tensor[] inputs = [x, .. gamma is null ? [] : new[] { gamma }, .. beta is null ? [] : new[] { beta }];
        if (Tape.ShouldRecord(inputs))
            Tape.Record(y, activation == BiasActivationKind.Identity ? "batch_norm" : "batch_norm_activation", inputs, g =>
            {
                var dx = x.RequiresGrad ? Tensor.Uninitialized(x.Shape) : null;
                if (activation != BiasActivationKind.Identity)
                {
                    // The gradient before the activation goes where dx will be: the kernel may overwrite its input.
                    var preActivation = dx ?? Tensor.Uninitialized(y.Shape);
                    // A model gives y back to the pool in forward when only layers that copy it read it (a
                    // concatenation's branches): its values are made again from x, where their gradient goes.
                    var output = TensorPool.WasGivenBack(y) ? NormalizeInto(preActivation) : y;
                    BiasActivation.Backward(activation, alpha, batch, channels, plane, output.Span, g.Span, preActivation.Span, default);
                    g = preActivation;
                }
                var dGamma = gamma?.RequiresGrad == true ? Tensor.Uninitialized(gamma.Shape) : null;
                var dBeta = beta?.RequiresGrad == true ? Tensor.Uninitialized(beta.Shape) : null;
                BatchNormKernel.Backward(batch, channels, plane, x.Span, g.Span, mean, inverseDeviation,
                    gamma is null ? default : gamma.Span, dx is null ? default : dx.Span,
                    dGamma is null ? default : dGamma.Span, dBeta is null ? default : dBeta.Span);
                Tensor?[] gradients = [dx, .. gamma is null ? [] : new[] { dGamma }, .. beta is null ? [] : new[] { dBeta }];
                return gradients;
            });
        return y;
    }
}
