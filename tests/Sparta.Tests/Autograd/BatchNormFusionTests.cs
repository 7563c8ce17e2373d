using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Tests.Autograd;

/// <summary>
/// The fused batch-norm op against the composition of primitive ops it replaced (sums, subtraction,
/// division, affine): the same output, gradients and batch statistics; and the same bits for any thread count.
/// </summary>
public class BatchNormFusionTests
{
    private const float Epsilon = 1e-3f;

    public static TheoryData<int[]> Shapes => new([6, 5], [4, 3, 5, 7], [2, 3, 40, 40]);

    [Theory, MemberData(nameof(Shapes))]
    public void FusedMatchesTheComposition(int[] shape)
    {
        int channels = shape[1];
        var (values, gammaValues, betaValues, upstream) = Inputs(shape, mean: 0.5, seed: 1);
        Tensor batchMean = Tensor.Zeros(channels), batchVariance = Tensor.Zeros(channels);
        var fused = Run(shape, values, gammaValues, betaValues, upstream, (x, g, b) => x.BatchNorm(g, b, Epsilon, batchMean, batchVariance));
        Tensor composedMean = Tensor.Zeros(channels), composedVariance = Tensor.Zeros(channels);
        var composed = Run(shape, values, gammaValues, betaValues, upstream, (x, g, b) => Composed(x, g, b, composedMean, composedVariance));

        for (int i = 0; i < fused.Length; i++) Close(composed[i], fused[i], new[] { "output", "dx", "dgamma", "dbeta" }[i]);
        Close(composedMean.ToArray(), batchMean.ToArray(), "mean");
        Close(composedVariance.ToArray(), batchVariance.ToArray(), "variance");
    }

    [Fact]
    public void FusedReluMatchesBatchNormThenRelu()
    {
        int[] shape = [4, 3, 5, 7];
        var (values, gammaValues, betaValues, upstream) = Inputs(shape, mean: 0.5, seed: 4);
        var fused = Run(shape, values, gammaValues, betaValues, upstream, (x, g, b) => x.BatchNorm(g, b, Epsilon, BiasActivationKind.Relu, 0f));
        var composed = Run(shape, values, gammaValues, betaValues, upstream, (x, g, b) => x.BatchNorm(g, b, Epsilon).Relu());
        Assert.Contains(0f, fused[0]);
        for (int i = 0; i < fused.Length; i++) Close(composed[i], fused[i], new[] { "output", "dx", "dgamma", "dbeta" }[i]);
    }

    [Fact]
    public void LayerRefusesAnActivationItCannotFuse()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNormalization(activation: new Softmax()));
        Assert.Contains("batch_normalization", error.Message);
        Assert.Contains("'softmax'", error.Message);
    }

    [Fact]
    public void StatisticsStayAccurateFarFromZero()
    {
        // Values of mean 1000 and spread 1: E[x²] − E[x]² in float would lose most digits of the variance.
        int[] shape = [8, 2, 30, 30];
        var (values, _, _, _) = Inputs(shape, mean: 1000, seed: 2);
        Tensor mean = Tensor.Zeros(2), variance = Tensor.Zeros(2);
        Tensor.FromArray(values, shape).BatchNorm(null, null, Epsilon, mean, variance);
        int plane = 30 * 30;
        for (int c = 0; c < 2; c++)
        {
            var channel = Enumerable.Range(0, 8).SelectMany(n => values.Skip((n * 2 + c) * plane).Take(plane)).Select(v => (double)v).ToArray();
            double expectedMean = channel.Average(), expectedVariance = channel.Select(v => (v - expectedMean) * (v - expectedMean)).Average();
            Assert.Equal(expectedMean, mean.Span[c], 1e-3);
            Assert.True(Math.Abs(expectedVariance - variance.Span[c]) <= 1e-4 * expectedVariance,
                $"channel {c}: variance {variance.Span[c]}, double reference {expectedVariance}");
        }
    }

    [Fact]
    public void EveryThreadCountGivesTheSameBits()
    {
        int[] shape = [16, 24, 20, 20];
        var (values, gammaValues, betaValues, upstream) = Inputs(shape, mean: 0.5, seed: 3);
        using var threadCount = Parallelism.Scope(1);
        var one = Run(shape, values, gammaValues, betaValues, upstream, (x, g, b) => x.BatchNorm(g, b, Epsilon));
        Parallelism.ThreadCount = 3;
        var three = Run(shape, values, gammaValues, betaValues, upstream, (x, g, b) => x.BatchNorm(g, b, Epsilon));
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], three[i]);
    }

    [Fact]
    public void WrongParameterShapeIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).BatchNorm(Tensor.Zeros(4), null, Epsilon));
        Assert.Contains("gamma", error.Message);
        Assert.Contains("(4)", error.Message);
    }

    /// <summary>The layer's former training forward, op by op.</summary>
    private static Tensor Composed(Tensor x, Tensor gamma, Tensor beta, Tensor batchMean, Tensor batchVariance)
    {
        int batch = x.Shape[0], channels = x.Shape[1], plane = x.Shape.SizeFrom(2);
        var v = x.Reshape(batch, channels, plane);
        float inverseCount = 1f / (batch * plane);
        var mean = v.Sum(2, keepDims: true).Sum(0, keepDims: true) * inverseCount;
        var centered = v - mean;
        var variance = (centered * centered).Sum(2, keepDims: true).Sum(0, keepDims: true) * inverseCount;
        var normalized = centered / (variance + Epsilon).Sqrt() * gamma.Reshape(1, channels, 1) + beta.Reshape(1, channels, 1);
        mean.Span.CopyTo(batchMean.Span);
        variance.Span.CopyTo(batchVariance.Span);
        return normalized.Reshape(x.Shape.ToArray());
    }

    /// <summary>The output and the gradients of x, γ and β for the upstream gradient.</summary>
    private static float[][] Run(int[] shape, float[] values, float[] gammaValues, float[] betaValues, float[] upstream,
        Func<Tensor, Tensor, Tensor, Tensor> op)
    {
        var x = Tensor.FromArray(values, shape);
        var gamma = Tensor.FromArray(gammaValues, shape[1]);
        var beta = Tensor.FromArray(betaValues, shape[1]);
        x.RequiresGrad = gamma.RequiresGrad = beta.RequiresGrad = true;
        var y = op(x, gamma, beta);
        y.Backward(Tensor.FromArray(upstream, shape));
        return [y.ToArray(), x.Grad!.ToArray(), gamma.Grad!.ToArray(), beta.Grad!.ToArray()];
    }

    private static (float[] X, float[] Gamma, float[] Beta, float[] Upstream) Inputs(int[] shape, double mean, ulong seed)
    {
        var random = new RandomGenerator(seed);
        float[] Values(int n, double low, double high) => Enumerable.Range(0, n).Select(_ => (float)random.Uniform(low, high)).ToArray();
        int size = shape.Aggregate(1, (p, d) => p * d);
        return (Values(size, mean - 1.7, mean + 1.7), Values(shape[1], 0.5, 1.5), Values(shape[1], -0.5, 0.5), Values(size, -1, 1));
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5f * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: composed {expected[i]}, fused {actual[i]}");
    }
}
