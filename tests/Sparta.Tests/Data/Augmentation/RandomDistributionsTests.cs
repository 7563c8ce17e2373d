using Sparta.Data.Augmentation;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Augmentation;

public class RandomDistributionsTests
{
    [Theory]
    [InlineData(0.4)]
    [InlineData(1.0)]
    [InlineData(3.5)]
    public void GammaHasMeanAndVarianceEqualToItsShape(double shape)
    {
        var random = new RandomGenerator(17);
        var samples = Enumerable.Range(0, 40000).Select(_ => random.Gamma(shape)).ToArray();
        double mean = samples.Average(), variance = samples.Select(s => (s - mean) * (s - mean)).Average();
        Assert.InRange(mean, shape * 0.97, shape * 1.03);
        Assert.InRange(variance, shape * 0.92, shape * 1.08);
        Assert.All(samples, s => Assert.True(s > 0));
    }

    [Theory]
    [InlineData(0.2, 0.2)]
    [InlineData(2, 5)]
    public void BetaMatchesItsMeanAndVariance(double a, double b)
    {
        var random = new RandomGenerator(18);
        var samples = Enumerable.Range(0, 40000).Select(_ => random.Beta(a, b)).ToArray();
        double mean = samples.Average(), variance = samples.Select(s => (s - mean) * (s - mean)).Average();
        double expectedMean = a / (a + b), expectedVariance = a * b / ((a + b) * (a + b) * (a + b + 1));
        Assert.InRange(mean, expectedMean - 0.01, expectedMean + 0.01);
        Assert.InRange(variance, expectedVariance * 0.95, expectedVariance * 1.05);
        Assert.All(samples, s => Assert.InRange(s, 0, 1));
    }
}
