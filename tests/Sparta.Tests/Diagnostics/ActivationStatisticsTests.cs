using Sparta.Diagnostics;
using Sparta.Tensors;

namespace Sparta.Tests.Diagnostics;

public class ActivationStatisticsTests
{
    // Two examples × three units; unit 2 is never positive (dead for ReLU).
    private static readonly float[] Values = [0.995f, 0.5f, -1f, -0.2f, 0.005f, 0f];

    [Fact]
    public void MeanStdAndBinsMatchAComputationByHand()
    {
        var stats = ActivationStatistics.Of(Values, units: 3, bins: 4, low: -1, high: 1);
        double mean = Values.Average(v => (double)v);
        double std = Math.Sqrt(Values.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(mean, stats.Mean, 12);
        Assert.Equal(std, stats.Std, 12);
        // Bins [-1,-.5) [-.5,0) [0,.5) [.5,1]: -1 | -0.2 | 0.005, 0 | 0.995, 0.5
        Assert.Equal([1L, 1, 2, 2], stats.Histogram.Counts);
    }

    [Theory]
    [InlineData("tanh", 2.0 / 6, 0)]      // 0.995 and -1 beyond ±0.99
    [InlineData("sigmoid", 5.0 / 6, 0)]   // all below 0.01 or above 0.99 but 0.5
    [InlineData("relu", 0, 1.0 / 3)]      // unit 2 is never positive; ReLUs do not saturate
    [InlineData("linear", 0, 0)]          // neither applies
    public void SaturationAndDeathAreReadForTheLayersActivation(string activation, double saturated, double dead)
    {
        var stats = ActivationStatistics.Of(Values, units: 3, activation);
        Assert.Equal(activation, stats.Activation);
        Assert.Equal(saturated, stats.Saturated, 12);
        Assert.Equal(dead, stats.Dead, 12);
    }

    [Fact]
    public void AnImagesUnitIsAChannelOverEveryPosition()
    {
        // (N=2, C=3, H=1, W=2): channel 0 is positive once, channel 1 never, channel 2 at every position.
        float[] values = [1, 0, 0, 0, 2, 3, /* second example */ 0, 0, -1, -4, 5, 6];
        var stats = ActivationStatistics.Of(Tensor.FromArray(values, 2, 3, 1, 2), "relu", bins: 5);
        Assert.Equal(1.0 / 3, stats.Dead, 12);
        // An unbounded activation's histogram spans the batch: [-4, 6] in 5 bins of 2.
        Assert.Equal((-4.0, 6.0), (stats.Histogram.Low, stats.Histogram.High));
        Assert.Equal(values.Length, stats.Histogram.Counts.Sum());
        Assert.Equal([1L, 1, 6, 2, 2], stats.Histogram.Counts);
    }

    [Fact]
    public void ValuesOutsideTheRangeAreNotBinned()
    {
        // Bins [0, 0.5) and [0.5, 1]: the upper edge belongs to the last bin; -3, 2 and NaN fall outside.
        var histogram = Histogram.Of([-3f, 0.1f, 1f, 2f, float.NaN], 2, 0, 1);
        Assert.Equal([1L, 1], histogram.Counts);
    }

    [Fact]
    public void RejectsRowsThatDoNotSplit()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationStatistics.Of(new float[5], units: 2));
        Assert.Contains("5 values", e.Message);
    }
}
