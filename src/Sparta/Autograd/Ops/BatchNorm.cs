using System.Buffers;
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
        CheckPerChannel("gamma", gamma, channels);
        CheckPerChannel("beta", beta, channels);
        CheckPerChannel("batch mean", batchMean, channels);
        CheckPerChannel("batch variance", batchVariance, channels);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"batch_norm: epsilon must be positive, got {epsilon}");

        bool record = Tape.IsRecording && (x.RequiresGrad || gamma?.RequiresGrad == true || beta?.RequiresGrad == true);
        // What backward reads (the mean, the inverse deviations, and the scale and shift that make the output again)
        // lives in the node, whose arrays serve its next use; the variance, and everything when nothing is recorded,
        // in an array rented for the call.
        var node = record ? BatchNormNode.Take(channels, 1 + (gamma is null ? 0 : 1) + (beta is null ? 0 : 1)) : null;
        var rented = ArrayPool<float>.Shared.Rent(5 * channels);
        try
        {
            var scratch = rented.AsSpan(0, 5 * channels);
            Span<float> variance = scratch.Slice(4 * channels, channels);
            Span<float> mean = node is null ? scratch[..channels] : node.Mean.AsSpan(0, channels);
            Span<float> inverseDeviation = node is null ? scratch.Slice(channels, channels) : node.InverseDeviation.AsSpan(0, channels);
            Span<float> scale = node is null ? scratch.Slice(2 * channels, channels) : node.Scale.AsSpan(0, channels);
            Span<float> shift = node is null ? scratch.Slice(3 * channels, channels) : node.Shift.AsSpan(0, channels);
            BatchNormKernel.Statistics(batch, channels, plane, x.Span, mean, variance);
            if (batchMean is not null) mean.CopyTo(batchMean.Span);
            if (batchVariance is not null) variance.CopyTo(batchVariance.Span);
            for (int c = 0; c < channels; c++)
            {
                inverseDeviation[c] = 1f / MathF.Sqrt(variance[c] + epsilon);
                scale[c] = (gamma is null ? 1f : gamma.Span[c]) * inverseDeviation[c];
                shift[c] = (beta is null ? 0f : beta.Span[c]) - mean[c] * scale[c];
            }
            var y = NormalizeInto(Tensor.Uninitialized(x.Shape), x, scale, shift, activation, alpha);
            if (node is null) return y;

            string op = activation == BiasActivationKind.Identity ? "batch_norm" : "batch_norm_activation";
            if (gamma is null) node.RecordOn(y, op, beta is null ? [x] : [x, beta]);
            else node.RecordOn(y, op, beta is null ? [x, gamma] : [x, gamma, beta]);
            (node.Output, node.Activation, node.Alpha, node.Batch, node.Plane, node.HasGamma) = (y, activation, alpha, batch, plane, gamma is not null);
            return y;
        }
        finally { ArrayPool<float>.Shared.Return(rented); }
    }

    /// <summary>The output into <paramref name="target"/>: the forward pass's, and backward's again when it was given back (the same passes, the same values).</summary>
    private static Tensor NormalizeInto(Tensor target, Tensor x, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, BiasActivationKind activation, float alpha)
    {
        int batch = x.Shape[0], channels = x.Shape[1], plane = x.Shape.SizeFrom(2);
        BatchNormKernel.Normalize(batch, channels, plane, x.Span, scale, shift, target.Span);
        if (activation != BiasActivationKind.Identity)
            BiasActivation.Forward(activation, alpha, batch, channels, plane, target.Span, default, target.Span);
        return target;
    }

    private static void CheckPerChannel(string what, Tensor? t, int channels)
    {
        if (t is not null && t.Size != channels)
            throw new ArgumentException($"batch_norm: {what} must hold one value per channel ({channels}), got shape {t.Shape}");
    }

    /// <summary>
    /// Batch normalization's backward, the closed-form gradient from x, the batch's mean and inverse deviations and
    /// γ; with a fused activation, the gradient before it comes first, from the output alone.
    /// </summary>
    private sealed class BatchNormNode : RecycledNode<BatchNormNode>
    {
        public float[] Mean = [], InverseDeviation = [], Scale = [], Shift = [];
        public Tensor Output = null!;
        public BiasActivationKind Activation;
        public float Alpha;
        public int Batch, Plane;
        public bool HasGamma;

        /// <summary>A node for <paramref name="inputs"/> inputs whose statistics arrays hold <paramref name="channels"/> values: kept nodes serve layers of their width alone.</summary>
        public static BatchNormNode Take(int channels, int inputs)
        {
            var node = Kept(channels * 4 + inputs);
            if (node.Mean.Length != channels)
                (node.Mean, node.InverseDeviation, node.Scale, node.Shift) = (new float[channels], new float[channels], new float[channels], new float[channels]);
            return node;
        }

        public override Tensor?[] Backward(Tensor g)
        {
            var x = Inputs[0];
            var gamma = HasGamma ? Inputs[1] : null;
            var beta = Inputs.Length > (HasGamma ? 2 : 1) ? Inputs[^1] : null;
            int channels = x.Shape[1];
            var dx = x.RequiresGrad ? Tensor.Uninitialized(x.Shape) : null;
            if (Activation != BiasActivationKind.Identity)
            {
                // The gradient before the activation goes where dx will be: the kernel may overwrite its input.
                var preActivation = dx ?? Tensor.Uninitialized(Output.Shape);
                // A model gives the output back to the pool in forward when only layers that copy it read it (a
                // concatenation's branches): its values are made again from x, where their gradient goes.
                var output = TensorPool.WasGivenBack(Output)
                    ? NormalizeInto(preActivation, x, Scale.AsSpan(0, channels), Shift.AsSpan(0, channels), Activation, Alpha)
                    : Output;
                BiasActivation.Backward(Activation, Alpha, Batch, channels, Plane, output.Span, g.Span, preActivation.Span, default);
                g = preActivation;
            }
            var dGamma = gamma?.RequiresGrad == true ? Tensor.Uninitialized(gamma.Shape) : null;
            var dBeta = beta?.RequiresGrad == true ? Tensor.Uninitialized(beta.Shape) : null;
            BatchNormKernel.Backward(Batch, channels, Plane, x.Span, g.Span, Mean.AsSpan(0, channels), InverseDeviation.AsSpan(0, channels),
                gamma is null ? default : gamma.Span, dx is null ? default : dx.Span,
                dGamma is null ? default : dGamma.Span, dBeta is null ? default : dBeta.Span);
            var gradients = Gradients();
            gradients[0] = dx;
            if (gamma is not null) gradients[1] = dGamma;
            if (beta is not null) gradients[^1] = dBeta;
            return gradients;
        }

        protected override void Forget() => Output = null!;
    }
}
