using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Tensors;

namespace Sparta.Tests.Initializers;

public class InitializerTests
{
    [Theory]
    [InlineData(new[] { 300, 200 }, 300, 200)]
    [InlineData(new[] { 64, 32, 3, 3 }, 32 * 9, 64 * 9)]
    [InlineData(new[] { 10 }, 10, 10)]
    public void FansOfDenseConvolutionAndVector(int[] shape, int fanIn, int fanOut) =>
        Assert.Equal(new Fans(fanIn, fanOut), Fans.Of(new Shape(shape)));

    /// <summary>The sample variance of many draws against the theoretical variance of each scheme.</summary>
    [Theory]
    [InlineData("glorot_uniform", 2.0 / (400 + 300))]
    [InlineData("glorot_normal", 2.0 / (400 + 300))]
    [InlineData("xavier_uniform", 2.0 / (400 + 300))]
    [InlineData("he_normal", 2.0 / 400)]
    [InlineData("he_uniform", 2.0 / 400)]
    [InlineData("lecun_normal", 1.0 / 400)]
    [InlineData("lecun_uniform", 1.0 / 400)]
    [InlineData("random_normal", 0.05 * 0.05)]
    [InlineData("random_uniform", 0.05 * 0.05 / 3)]
    public void DenseSampleVarianceMatchesTheory(string name, double variance)
    {
        var (mean, sampleVariance) = Sample(InitializerRegistry.Create(name), 400, 300);
        Assert.True(Math.Abs(mean) < 4 * Math.Sqrt(variance / 120000), $"{name}: mean {mean}");
        Assert.True(Math.Abs(sampleVariance / variance - 1) < 0.02, $"{name}: variance {sampleVariance}, expected {variance}");
    }

    [Fact]
    public void ConvolutionVarianceUsesTheReceptiveField()
    {
        // He normal on [OC=32, C=16, 3, 3]: fan_in = 16·9.
        var (_, variance) = Sample(VarianceScaling.HeNormal(), 32, 16, 3, 3);
        Assert.True(Math.Abs(variance / (2.0 / 144) - 1) < 0.05, $"variance {variance}");
    }

    [Fact]
    public void TruncatedNormalStaysWithinTwoStandardDeviations()
    {
        var w = Tensor.Zeros(50000);
        new RandomNormal(1, 0.5, truncated: true).Initialize(w, new RandomGenerator(3));
        Assert.All(w.ToArray(), v => Assert.InRange(v, 0f, 2f));
        // The variance of N(0, 1) truncated to [−2, 2] is 1 − 4φ(2)/(Φ(2) − Φ(−2)).
        double phi2 = Math.Exp(-2) / Math.Sqrt(2 * Math.PI);
        double truncatedVariance = 1 - 4 * phi2 / 0.9544997361036416;
        var (_, variance) = Moments(w.Span);
        Assert.True(Math.Abs(variance / (0.25 * truncatedVariance) - 1) < 0.03, $"variance {variance}");
    }

    [Fact]
    public void UntruncatedNormalVarianceScaling()
    {
        var init = new VarianceScaling(3, "fan_out", "untruncated_normal");
        var (_, variance) = Sample(init, 200, 500);
        Assert.True(Math.Abs(variance / (3.0 / 500) - 1) < 0.02, $"variance {variance}");
    }

    [Fact]
    public void ZerosOnesAndConstant()
    {
        var w = Tensor.Full(7f, 5);
        InitializerRegistry.Create("zeros").Initialize(w, new RandomGenerator(0));
        Assert.All(w.ToArray(), v => Assert.Equal(0f, v));
        new ConstantInitializer(0.25).Initialize(w, new RandomGenerator(0));
        Assert.All(w.ToArray(), v => Assert.Equal(0.25f, v));
    }

    [Theory]
    [InlineData(new[] { 40, 25 })]
    [InlineData(new[] { 25, 40 })]
    [InlineData(new[] { 30, 30 })]
    [InlineData(new[] { 8, 4, 3, 3 })]
    public void OrthogonalRowsOrColumnsAreOrthonormal(int[] shape)
    {
        var w = Tensor.Zeros(shape);
        new Orthogonal(gain: 2).Initialize(w, new RandomGenerator(11));
        int rows = shape[0], cols = w.Size / rows;
        var m = w.Span;
        // WᵀW = gain²·I for a tall matrix, WWᵀ = gain²·I for a wide one.
        bool tall = rows >= cols;
        int k = tall ? cols : rows, along = tall ? rows : cols;
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                double dot = 0;
                for (int i = 0; i < along; i++)
                    dot += tall ? (double)m[i * cols + a] * m[i * cols + b] : (double)m[a * cols + i] * m[b * cols + i];
                Assert.True(Math.Abs(dot - (a == b ? 4 : 0)) < 1e-5, $"entry ({a}, {b}) = {dot}");
            }
    }

    [Fact]
    public void OrthogonalIsUniformNotBiasedBySigns()
    {
        // With the sign correction the diagonal of Q is as often negative as positive over many draws.
        var random = new RandomGenerator(8);
        int negatives = 0, draws = 400;
        var w = Tensor.Zeros(3, 3);
        for (int d = 0; d < draws; d++)
        {
            new Orthogonal().Initialize(w, random);
            if (w.Span[0] < 0) negatives++;
        }
        Assert.InRange(negatives, draws / 2 - 50, draws / 2 + 50);
    }

    [Fact]
    public void SameSeedSameWeightsOtherStreamOtherWeights()
    {
        var init = VarianceScaling.GlorotUniform();
        var a = Tensor.Zeros(10, 10);
        var b = Tensor.Zeros(10, 10);
        var c = Tensor.Zeros(10, 10);
        init.Initialize(a, new RandomGenerator(5).Fork("dense_1.kernel"));
        init.Initialize(b, new RandomGenerator(5).Fork("dense_1.kernel"));
        init.Initialize(c, new RandomGenerator(5).Fork("dense_2.kernel"));
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), c.ToArray());
    }

    [Theory]
    [InlineData("zeros")]
    [InlineData("ones")]
    [InlineData("constant")]
    [InlineData("random_normal")]
    [InlineData("truncated_normal")]
    [InlineData("random_uniform")]
    [InlineData("variance_scaling")]
    [InlineData("glorot_uniform")]
    [InlineData("he_normal")]
    [InlineData("lecun_uniform")]
    [InlineData("orthogonal")]
    public void ConfigRoundTrips(string name)
    {
        var config = InitializerRegistry.Create(name).GetConfig();
        Assert.Equal(config, InitializerRegistry.Create(ComponentConfig.FromJson(config.ToJson())).GetConfig());
    }

    [Fact]
    public void AliasesComeBackUnderTheKerasName()
    {
        Assert.Equal("glorot_normal", InitializerRegistry.Create("xavier_normal").Name);
        Assert.Equal("he_uniform", InitializerRegistry.Create("kaiming_uniform").Name);
        Assert.Equal("random_normal", InitializerRegistry.Create("normal").Name);
    }

    [Fact]
    public void BadArgumentsAreOneLineErrors()
    {
        AssertError(() => new RandomNormal(stddev: -1), "stddev", "-1");
        AssertError(() => new VarianceScaling(mode: "fan_sum"), "mode", "'fan_sum'");
        AssertError(() => new Orthogonal().Initialize(Tensor.Zeros(4), new RandomGenerator(0)), "orthogonal", "(4)");
        AssertError(() => InitializerRegistry.Create("glorot_unifrom"), "'glorot_unifrom'", "glorot_uniform");
    }

    private static void AssertError(Action action, string argument, string value)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(argument, e.Message);
        Assert.Contains(value, e.Message);
    }

    private static (double Mean, double Variance) Sample(Initializer init, params int[] shape)
    {
        var w = Tensor.Zeros(shape);
        init.Initialize(w, new RandomGenerator(1234));
        return Moments(w.Span);
    }

    private static (double Mean, double Variance) Moments(ReadOnlySpan<float> values)
    {
        double mean = 0;
        foreach (float v in values) mean += v;
        mean /= values.Length;
        double variance = 0;
        foreach (float v in values) variance += (v - mean) * (v - mean);
        return (mean, variance / values.Length);
    }
}
