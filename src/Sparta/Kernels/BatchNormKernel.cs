using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// Batch normalization over x viewed as (N, C, P): channel c's statistics run over its N·P values
/// (P = 1 for a dense layer's features, H·W for images). Forward is two passes, one for the mean and
/// variance, one for y = x·scale + shift; backward is the closed form
/// dx = γ/σ · (g − mean(g) − x̂·mean(g·x̂)), with dγ = Σ g·x̂ and dβ = Σ g.
/// Work is split by channel and each channel's sums run in a fixed order over fixed pieces (float
/// within a piece, double across pieces), so results are bit-identical for any
/// <see cref="Parallelism.ThreadCount"/>.
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>Floats summed in float before the running sum moves to double: short enough to keep float's rounding small.</summary>
    private const int Piece = 1024;

    /// <summary>Elements below which one thread does the whole pass (a thread start costs more than the work).</summary>
    private const int ParallelThreshold = 1 << 16;

    /// <summary>The mean and the biased variance of every channel.</summary>
    public static void Statistics(int batch, int channels, int plane, ReadOnlySpan<float> x, Span<float> mean, Span<float> variance)
    {
        Check(batch, channels, plane, x.Length, mean.Length, variance.Length);
        if ((long)batch * plane == 0)
        {
            // No values: the statistics are undefined, as 0/0.
            mean.Fill(float.NaN);
            variance.Fill(float.NaN);
            return;
        }
        unsafe
        {
            fixed (float* xs = x, means = mean, variances = variance)
            {
                float* xp = xs, mp = means, vp = variances;
                ForEachChannel(batch, channels, plane, new ChannelStatistics(batch, channels, plane, xp, mp, vp));
            }
        }
    }

    /// <summary>y = x·scale[c] + shift[c] for every value of channel c.</summary>
    public static void Normalize(int batch, int channels, int plane, ReadOnlySpan<float> x, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> shift, Span<float> y)
    {
        Check(batch, channels, plane, x.Length, scale.Length, shift.Length);
        ConvArguments.Length("batch_norm", nameof(y), y.Length, x.Length, "x's length");
        unsafe
        {
            fixed (float* xs = x, ys = y, scales = scale, shifts = shift)
            {
                float* xp = xs, yp = ys, sp = scales, tp = shifts;
                ForEachChannel(batch, channels, plane, new ChannelNormalize(batch, channels, plane, xp, sp, tp, yp));
            }
        }
    }

    /// <summary>
    /// The gradients from the output gradient g, the input x and the batch's mean and 1/σ (σ² = variance + ε):
    /// dx (when not empty) and, when not empty, dγ and dβ. <paramref name="gamma"/> empty means γ = 1.
    /// <paramref name="dx"/> may be the same memory as <paramref name="g"/>.
    /// </summary>
    public static void Backward(int batch, int channels, int plane, ReadOnlySpan<float> x, ReadOnlySpan<float> g,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseDeviation, ReadOnlySpan<float> gamma,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        Check(batch, channels, plane, x.Length, mean.Length, inverseDeviation.Length);
        ConvArguments.Length("batch_norm backward", nameof(g), g.Length, x.Length, "x's length");
        if (!dx.IsEmpty) ConvArguments.Length("batch_norm backward", nameof(dx), dx.Length, x.Length, "x's length");
        unsafe
        {
            fixed (float* xs = x, gs = g, means = mean, inverses = inverseDeviation, gammas = gamma, dxs = dx, dgs = dGamma, dbs = dBeta)
            {
                float* xp = xs, gp = gs, mp = means, ip = inverses, gammaP = gammas, dxp = dxs, dgp = dgs, dbp = dbs;
                bool wantInput = !dx.IsEmpty, wantGamma = !dGamma.IsEmpty;
                ForEachChannel(batch, channels, plane,
                    new ChannelBackward(batch, channels, plane, xp, gp, mp, ip, gammaP, wantInput ? dxp : null, wantGamma ? dgp : null, dbp));
            }
        }
    }

    /// <summary>
    /// dx = g·k + (x·a + b) over <paramref name="length"/> values, each read before it is written, so
    /// <paramref name="dx"/> may be <paramref name="g"/> (backward then needs no buffer besides dx).
    /// </summary>
    private static unsafe void ScaleAddAffine(float* g, float k, float* x, float a, float b, float* dx, int length)
    {
        int i = 0;
        if (VectorWidth.Uses256)
        {
            Vector256<float> vk = Vector256.Create(k), va = Vector256.Create(a), vb = Vector256.Create(b);
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(Vector256.Load(g + i), vk, Vector256.FusedMultiplyAdd(Vector256.Load(x + i), va, vb)).Store(dx + i);
        }
        for (; i < length; i++) dx[i] = MathF.FusedMultiplyAdd(g[i], k, MathF.FusedMultiplyAdd(x[i], a, b));
    }

    /// <summary>y = x·a + b over <paramref name="length"/> values, one rounding each.</summary>
    private static unsafe void Affine(float* x, float a, float b, float* y, int length)
        => Elementwise.Map(new AffineOperator(a, b), new ReadOnlySpan<float>(x, length), new Span<float>(y, length));

    /// <summary>
    /// Runs <paramref name="body"/> over every channel, on several threads (a range of channels each) when the pass is
    /// large enough; channels never share state. The body is a struct the split keeps on the thread, so a training
    /// step's batch normalizations allocate nothing.
    /// </summary>
    private static void ForEachChannel<TBody>(int batch, int channels, int plane, in TBody body) where TBody : struct, IRangeBody
    {
        int threads = Math.Min(Parallelism.ThreadCount, channels);
        if (threads <= 1 || (long)batch * channels * plane < ParallelThreshold) body.Run(0, channels);
        else RangeSplit<TBody>.Run(body, channels, 1, threads);
    }

    /// <summary>The mean and biased variance of channels [start, end), as <see cref="Statistics"/> states.</summary>
    private readonly unsafe struct ChannelStatistics(int batch, int channels, int plane, float* x, float* mean, float* variance) : IRangeBody
    {
        public void Run(int start, int end)
        {
            Span<float> shifted = stackalloc float[Piece];
            for (int c = start; c < end; c++)
            {
                // Sums of x − pivot, not of x: E[x²] − E[x]² then cancels nothing when the mean is far from 0.
                float pivot = x[(long)c * plane];
                double sum = 0, squares = 0;
                for (int n = 0; n < batch; n++)
                {
                    var values = new ReadOnlySpan<float>(x + ((long)n * channels + c) * plane, plane);
                    for (int first = 0; first < plane; first += Piece)
                    {
                        var piece = values.Slice(first, Math.Min(Piece, plane - first));
                        var target = shifted[..piece.Length];
                        TensorPrimitives.Subtract(piece, pivot, target);
                        sum += TensorPrimitives.Sum<float>(target);
                        squares += TensorPrimitives.SumOfSquares<float>(target);
                    }
                }
                double count = (double)batch * plane, shift = sum / count;
                mean[c] = (float)(pivot + shift);
                variance[c] = (float)Math.Max(squares / count - shift * shift, 0);
            }
        }
    }

    /// <summary>y = x·scale[c] + shift[c] for channels [start, end).</summary>
    private readonly unsafe struct ChannelNormalize(int batch, int channels, int plane, float* x, float* scale, float* shift, float* y) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int c = start; c < end; c++)
            for (int n = 0; n < batch; n++)
            {
                long offset = ((long)n * channels + c) * plane;
                Affine(x + offset, scale[c], shift[c], y + offset, plane);
            }
        }
    }

    /// <summary>The gradients of channels [start, end), as <see cref="Backward"/> states; a gradient not wanted has a null pointer.</summary>
    private readonly unsafe struct ChannelBackward(int batch, int channels, int plane, float* x, float* g, float* mean, float* inverseDeviation,
        float* gamma, float* dx, float* dGamma, float* dBeta) : IRangeBody
    {
        public void Run(int start, int end)
        {
            Span<float> centered = stackalloc float[Piece];
            for (int c = start; c < end; c++)
            {
                double gradientSum = 0, projection = 0;
                float mu = mean[c];
                for (int n = 0; n < batch; n++)
                {
                    long offset = ((long)n * channels + c) * plane;
                    for (int first = 0; first < plane; first += Piece)
                    {
                        int length = Math.Min(Piece, plane - first);
                        var gradient = new ReadOnlySpan<float>(g + offset + first, length);
                        var target = centered[..length];
                        TensorPrimitives.Subtract(new ReadOnlySpan<float>(x + offset + first, length), mu, target);
                        gradientSum += TensorPrimitives.Sum(gradient);
                        projection += TensorPrimitives.Dot(gradient, target);
                    }
                }
                // Σ g·x̂ = Σ g·(x − μ)/σ
                double inverse = inverseDeviation[c], gammaC = gamma == null ? 1 : gamma[c], sumXHat = projection * inverse;
                if (dGamma != null) dGamma[c] = (float)sumXHat;
                if (dBeta != null) dBeta[c] = (float)gradientSum;
                if (dx == null) continue;
                // dx = k·g + a·x + b: k = γ/σ, a = −k·mean(g·x̂)/σ, b = −k·mean(g) − a·μ.
                double count = (double)batch * plane, k = gammaC * inverse, a = -k * sumXHat / count * inverse;
                float kf = (float)k, af = (float)a, bf = (float)(-k * gradientSum / count - a * mu);
                for (int n = 0; n < batch; n++)
                {
                    long offset = ((long)n * channels + c) * plane;
                    ScaleAddAffine(g + offset, kf, x + offset, af, bf, dx + offset, plane);
                }
            }
        }
    }

    private static void Check(int batch, int channels, int plane, int length, int firstLength, int secondLength)
    {
        ConvArguments.Batch("batch_norm", batch);
        ConvArguments.Length("batch_norm", "x", length, (long)batch * channels * plane, $"N x C x P = {batch}x{channels}x{plane}");
        ConvArguments.Length("batch_norm", "per-channel values", firstLength, channels, "C");
        ConvArguments.Length("batch_norm", "per-channel values", secondLength, channels, "C");
    }
}
