using Sparta.Tensors;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>The SIMD loops against the formulas computed one element at a time, at lengths around the vector width.</summary>
public class MixtureKernelsTests
{
    public static TheoryData<int> Lengths => new() { 1, 7, 8, 9, 16, 33, 1001 };

    private static double[] Draw(RandomGenerator random, int n, double low, double high)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = low + (high - low) * random.NextDouble();
        return values;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Gaussian_log_density_is_added_to_every_component(int n)
    {
        var random = new RandomGenerator((ulong)n);
        double[] mus = Draw(random, n, -3, 3), sigmas = Draw(random, n, 0.1, 2), normalizers = Draw(random, n, -2, 0), start = Draw(random, n, -5, 0);
        var actual = (double[])start.Clone();
        MixtureKernels.AddGaussianLogDensity(0.7, mus, sigmas, normalizers, actual);
        for (int k = 0; k < n; k++)
        {
            double z = (0.7 - mus[k]) / sigmas[k];
            Assert.Equal(start[k] - 0.5 * z * z + normalizers[k], actual[k], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Log_sum_exp_matches_the_direct_sum(int n)
    {
        var values = Draw(new RandomGenerator(100 + (ulong)n), n, -30, 5);
        double expected = Math.Log(values.Sum(Math.Exp));
        Assert.Equal(expected, MixtureKernels.LogSumExp(values), Math.Abs(expected) * 1e-13 + 1e-13);
    }

    [Fact]
    public void Log_sum_exp_keeps_large_values_finite_and_empty_mass_at_minus_infinity()
    {
        Assert.Equal(1000 + Math.Log(2), MixtureKernels.LogSumExp(new[] { 1000.0, 1000.0 }), 1e-12);
        Assert.Equal(double.NegativeInfinity, MixtureKernels.LogSumExp(Enumerable.Repeat(double.NegativeInfinity, 9).ToArray()));
    }
}
