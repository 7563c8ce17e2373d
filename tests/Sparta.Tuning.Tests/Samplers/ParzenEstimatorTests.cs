using Sparta.Tensors;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>
/// Log densities against the values optuna 3.1's _ParzenEstimator.log_pdf gives for the same
/// observations and default parameters (prior weight 1, magic clip, no endpoints).
/// </summary>
public class ParzenEstimatorTests
{
    private static double[] LogPdf(Dictionary<string, Distribution> space, Dictionary<string, double[]> observed, Dictionary<string, double[]> at, bool multivariate = false) =>
        new ParzenEstimator(observed, space, new ParzenOptions { Multivariate = multivariate }).LogPdf(at);

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-11);
    }

    [Fact]
    public void Uniform_float_range()
    {
        Close(new[] { -0.78771712148918, -0.5738739407199853, -0.5364217706317251, -1.1582933121082417 },
            LogPdf(new() { ["x"] = new FloatDistribution(0, 1) }, new() { ["x"] = new[] { 0.1, 0.5, 0.55 } },
                new() { ["x"] = new[] { 0.0, 0.3, 0.52, 0.99 } }));
    }

    [Fact]
    public void Log_float_range_works_in_log_space()
    {
        Close(new[] { -0.7593054232397933, -0.8163720745648722, -0.8935317543844504 },
            LogPdf(new() { ["x"] = new FloatDistribution(1e-3, 10, log: true) }, new() { ["x"] = new[] { 0.01, 0.02, 5.0 } },
                new() { ["x"] = new[] { 0.005, 0.5, 9.0 } }));
    }

    [Fact]
    public void Stepped_int_range_gives_probability_masses()
    {
        var space = new Dictionary<string, Distribution> { ["n"] = new IntDistribution(0, 10, step: 2) };
        var logP = LogPdf(space, new() { ["n"] = new[] { 2.0, 4, 4, 10 } }, new() { ["n"] = new[] { 0.0, 4, 10 } });
        Close(new[] { -2.15584299790913, -1.3164125694265802, -2.404142392477776 }, logP);
        // Masses over the whole grid sum to one.
        var all = LogPdf(space, new() { ["n"] = new[] { 2.0, 4, 4, 10 } }, new() { ["n"] = new[] { 0.0, 2, 4, 6, 8, 10 } });
        Assert.Equal(1.0, all.Sum(Math.Exp), 1e-12);
    }

    [Fact]
    public void Categorical_weights_smooth_counts_with_the_prior()
    {
        Close(new[] { -0.7419373447293773, -1.6582280766035324, -1.0986122886681098 },
            LogPdf(new() { ["c"] = new CategoricalDistribution(new object?[] { "a", "b", "c" }) }, new() { ["c"] = new[] { 0.0, 0, 2 } },
                new() { ["c"] = new[] { 0.0, 1, 2 } }));
    }

    [Fact]
    public void Multivariate_uses_one_joint_bandwidth_rule()
    {
        Close(new[] { -0.7973941970639887, -1.168989476701507 },
            LogPdf(new() { ["x"] = new FloatDistribution(0, 1), ["y"] = new FloatDistribution(-5, 5) },
                new() { ["x"] = new[] { 0.1, 0.5 }, ["y"] = new[] { 0.0, 1 } },
                new() { ["x"] = new[] { 0.2, 0.9 }, ["y"] = new[] { 0.5, -4.0 } }, multivariate: true));
    }

    [Fact]
    public void Default_weights_ramp_the_oldest_observations()
    {
        var w = ParzenOptions.DefaultWeights(30);
        Close(new[] { 1.0 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1 }, w[..5]);
        Assert.All(w[5..], v => Assert.Equal(1.0, v));
        Assert.All(ParzenOptions.DefaultWeights(24), v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void Samples_stay_in_range_and_on_the_grid()
    {
        var space = new Dictionary<string, Distribution>
        {
            ["lr"] = new FloatDistribution(1e-4, 1, log: true),
            ["n"] = new IntDistribution(1, 9, step: 2),
            ["q"] = new FloatDistribution(0, 1, step: 0.25),
        };
        var observed = new Dictionary<string, double[]> { ["lr"] = new[] { 1e-4, 0.5 }, ["n"] = new[] { 1.0, 9 }, ["q"] = new[] { 0.0, 1 } };
        var samples = new ParzenEstimator(observed, space, new ParzenOptions()).Sample(new RandomGenerator(3), 500);
        Assert.All(samples["lr"], v => Assert.InRange(v, 1e-4, 1));
        Assert.All(samples["n"], v => Assert.True(space["n"].Contains(v), $"{v} off the grid"));
        Assert.All(samples["q"], v => Assert.True(space["q"].Contains(v), $"{v} off the grid"));
    }
}

public class NormalTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-3.0, 0.0013498980316300946)]
    [InlineData(-10.0, 7.619853024160527e-24)]
    [InlineData(2.5, 0.9937903346742238)]
    public void Cdf_matches_reference_values(double x, double expected) =>
        Assert.Equal(expected, Normal.Cdf(x), expected * 1e-12 + 1e-15);

    [Theory]
    [InlineData(1e-12)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.975)]
    [InlineData(0.999999)]
    public void Inverse_cdf_inverts_cdf(double p) =>
        Assert.Equal(p, Normal.Cdf(Normal.InverseCdf(p)), p * 1e-12);

    [Fact]
    public void Truncated_draws_have_the_truncated_mean()
    {
        // E[Z | a <= Z <= b] = (phi(a) - phi(b)) / (Phi(b) - Phi(a)).
        var random = new RandomGenerator(11);
        foreach (var (a, b) in new[] { (-1.0, 2.0), (1.5, 4.0), (-6.0, -5.0) })
        {
            double sum = 0;
            const int n = 20000;
            for (int i = 0; i < n; i++)
            {
                double z = Normal.SampleTruncated(a, b, random.NextDouble());
                Assert.InRange(z, a, b);
                sum += z;
            }
            double expected = (Normal.Pdf(a) - Normal.Pdf(b)) / Normal.Mass(a, b);
            Assert.Equal(expected, sum / n, 0.02);
        }
    }
}
