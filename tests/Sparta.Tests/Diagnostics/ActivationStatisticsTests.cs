using Sparta.Diagnostics;

namespace Sparta.Tests.Diagnostics;

public class ActivationStatisticsTests
{
    [Fact]
    public void CountsSaturationDeadUnitsAndBinsByHand()
    {
        // Two examples × three units; unit 2 is never positive (dead for ReLU).
        float[] values = [0.995f, 0.5f, -1f, -0.2f, 0.005f, 0f];
        var stats = ActivationStatistics.Of(values, units: 3, bins: 4, low: -1, high: 1);

        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(mean, stats.Mean, 12);
        Assert.Equal(std, stats.Std, 12);
        Assert.Equal(2.0 / 6, stats.SaturatedTanh, 12);          // 0.995 and -1
        Assert.Equal(5.0 / 6, stats.SaturatedSigmoid, 12);       // all below 0.01 or above 0.99 but 0.5
        Assert.Equal(1.0 / 3, stats.DeadUnits, 12);
        // Bins [-1,-.5) [-.5,0) [0,.5) [.5,1]: -1 | -0.2 | 0.005, 0 | 0.995, 0.5
        Assert.Equal([1L, 1, 2, 2], stats.Histogram.Counts);
    }

    [Fact]
    public void ValuesOutsideTheRangeAreNotBinned()
    {
        // Bins [0, 0.5) and [0.5, 1]: the upper edge belongs to the last bin; -3 and 2 fall outside.
        var histogram = Histogram.Of([-3f, 0.1f, 1f, 2f], 2, 0, 1);
        Assert.Equal([1L, 1], histogram.Counts);
    }

    [Fact]
    public void RejectsRowsThatDoNotSplit()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationStatistics.Of(new float[5], units: 2));
        Assert.Contains("5 values", e.Message);
    }
}
