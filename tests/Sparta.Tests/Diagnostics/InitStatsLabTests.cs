using Sparta.Diagnostics;

namespace Sparta.Tests.Diagnostics;

public class InitStatsLabTests
{
    /// <summary>The forward pass recomputed in double from the lab's own data and kernels, as the slides' numpy code does it.</summary>
    private static (double Mean, double Std)[] Reference(InitStatsLab.Result result, Func<double, double> activation)
    {
        int samples = result.Input.Shape[0], units = result.Input.Shape[1];
        double[] x = result.Input.ToArray().Select(v => (double)v).ToArray();
        var stats = new List<(double, double)>();
        foreach (var kernel in result.Kernels)
        {
            float[] w = kernel.ToArray();
            var h = new double[samples * units];
            for (int s = 0; s < samples; s++)
                for (int j = 0; j < units; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < units; k++) sum += x[s * units + k] * w[k * units + j];
                    h[s * units + j] = activation(sum);
                }
            double mean = h.Average();
            stats.Add((mean, Math.Sqrt(h.Sum(v => (v - mean) * (v - mean)) / h.Length)));
            x = h;
        }
        return stats.ToArray();
    }

    [Theory]
    [InlineData("tanh", "glorot-uniform")]
    [InlineData("relu", "he")]
    public void PerLayerStatisticsMatchAnIndependentForwardPass(string activation, string init)
    {
        var result = InitStatsLab.Run(4, 40, 60, activation, InitStatsLab.ParseInitializer(init), seed: 3);
        var expected = Reference(result, activation == "tanh" ? Math.Tanh : v => Math.Max(0, v));
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = expected[i].Std;   // float32 forward against double: errors grow with depth
            Assert.True(Math.Abs(result.Layers[i].Mean - expected[i].Mean) < 1e-3 * scale, $"layer {i} mean {result.Layers[i].Mean} vs {expected[i].Mean}");
            Assert.True(Math.Abs(result.Layers[i].Std - expected[i].Std) < 1e-3 * scale, $"layer {i} std {result.Layers[i].Std} vs {expected[i].Std}");
        }
    }

    [Fact]
    public void SmallWeightsWithTanhCollapseToZero()
    {
        // The slides: std 0.01 shrinks the spread by about 0.01·√units per layer (0.22 for 500 units).
        var result = InitStatsLab.Run(10, 200, 400, "tanh", InitStatsLab.ParseInitializer("normal:0.01"), seed: 1);
        double expectedFirst = Math.Sqrt(200) * 0.01;   // tanh is linear at this scale
        Assert.InRange(result.Layers[0].Std, 0.95 * expectedFirst, 1.02 * expectedFirst);
        Assert.True(result.Layers[9].Std < 1e-6, $"layer 9 std {result.Layers[9].Std}");
    }

    [Fact]
    public void GlorotUniformWithTanhDecaysFromAboutSixTenthsToAboutAQuarter()
    {
        // Glorot's variance depends only on the fans' ratio, so 200 units behave as the slides' 500.
        var result = InitStatsLab.Run(10, 200, 1000, "tanh", InitStatsLab.ParseInitializer("glorot-uniform"), seed: 2);
        Assert.InRange(result.Layers[0].Std, 0.60, 0.66);
        Assert.InRange(result.Layers[9].Std, 0.20, 0.26);
        for (int i = 1; i < 10; i++) Assert.True(result.Layers[i].Std < result.Layers[i - 1].Std, $"layer {i} did not shrink");
        Assert.All(result.Layers, l => Assert.InRange(l.Mean, -0.01, 0.01));
    }

    [Fact]
    public void HeWithReluKeepsItsScale()
    {
        var result = InitStatsLab.Run(10, 200, 1000, "relu", InitStatsLab.ParseInitializer("he"), seed: 4);
        // Layer 0 exactly: ReLU of N(0, 2) (He's variance 2/fan_in times fan_in unit inputs) has
        // mean √2/√(2π) = 1/√π and variance 1 − 1/π.
        Assert.InRange(result.Layers[0].Mean, 1 / Math.Sqrt(Math.PI) - 0.02, 1 / Math.Sqrt(Math.PI) + 0.02);
        Assert.InRange(result.Layers[0].Std, Math.Sqrt(1 - 1 / Math.PI) - 0.02, Math.Sqrt(1 - 1 / Math.PI) + 0.02);
        Assert.All(result.Layers, l => Assert.InRange(l.Mean, 0.40, 0.70));
        Assert.All(result.Layers, l => Assert.InRange(l.Std, 0.60, 1.00));
    }

    [Fact]
    public void TheSameSeedGivesTheSameTable()
    {
        var a = InitStatsLab.Run(3, 30, 50, "tanh", InitStatsLab.ParseInitializer("glorot-normal"), seed: 9);
        var b = InitStatsLab.Run(3, 30, 50, "tanh", InitStatsLab.ParseInitializer("glorot_normal"), seed: 9);
        Assert.Equal(a.Layers.Select(l => (l.Mean, l.Std)), b.Layers.Select(l => (l.Mean, l.Std)));
    }

    [Theory]
    [InlineData("normal:-1", "normal:-1")]
    [InlineData("normal:abc", "normal:abc")]
    [InlineData("glorot-unifrom", "glorot_unifrom")]
    public void BadInitializersAreNamed(string spec, string named)
    {
        var e = Assert.Throws<ArgumentException>(() => InitStatsLab.ParseInitializer(spec));
        Assert.Contains(named, e.Message);
    }
}
