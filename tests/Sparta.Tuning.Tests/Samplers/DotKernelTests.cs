using Sparta.Tensors;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

public class DotKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(200)]
    public void Dot_matches_the_sum_of_products(int n)
    {
        var random = new RandomGenerator((ulong)n + 1);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) (x[i], y[i]) = (random.NextDouble() - 0.5, random.NextDouble() * 3);
        double expected = 0, scale = 0;
        for (int i = 0; i < n; i++) (expected, scale) = (expected + x[i] * y[i], scale + Math.Abs(x[i] * y[i]));
        Assert.Equal(expected, DotKernel.Dot(x, y), scale * 1e-14);
    }

    [Fact]
    public void Dot_rejects_spans_of_different_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => DotKernel.Dot(new double[3], new double[4]));
        Assert.Contains("(3 and 4)", e.Message);
    }
}
