using Sparta.Reports;

namespace Sparta.Tests.Reports;

public class SmoothingTests
{
    /// <summary>
    /// The debiased moving average written as what it is, a weighted mean of the finite values so
    /// far with weight w^(age): Σ w^(n-i)·y_i / Σ w^(n-i).
    /// </summary>
    private static double WeightedMean(IReadOnlyList<double> values, int upTo, double weight)
    {
        var finite = values.Take(upTo + 1).Where(double.IsFinite).ToArray();
        double numerator = 0, denominator = 0;
        for (int i = 0; i < finite.Length; i++)
        {
            double w = Math.Pow(weight, finite.Length - 1 - i);
            numerator += w * finite[i];
            denominator += w;
        }
        return numerator / denominator;
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.95)]
    public void EachPointIsTheWeightedMeanOfTheValuesUpToIt(double weight)
    {
        double[] values = [2.3, 1.1, 0.9, 0.95, 0.6, 0.71, 0.4, 0.45];
        var smoothed = Smoothing.Exponential(values, weight);
        for (int i = 0; i < values.Length; i++) Assert.Equal(WeightedMean(values, i, weight), smoothed[i], 1e-12);
        Assert.Equal(values[0], smoothed[0], 1e-12); // debiased: the first point is not pulled towards zero
    }

    [Fact]
    public void WeightZeroLeavesTheCurveAsItIs()
    {
        double[] values = [3, 1, 4, 1, 5];
        Assert.Equal(values, Smoothing.Exponential(values, 0));
    }

    [Fact]
    public void ANonFiniteValueStaysWhereItIsAndStaysOutOfTheAverage()
    {
        double[] values = [1, double.NaN, 3, double.PositiveInfinity, 2];
        var smoothed = Smoothing.Exponential(values, 0.5);
        Assert.True(double.IsNaN(smoothed[1]));
        Assert.Equal(double.PositiveInfinity, smoothed[3]);
        Assert.Equal(WeightedMean(values, 2, 0.5), smoothed[2], 1e-12);
        Assert.Equal(WeightedMean(values, 4, 0.5), smoothed[4], 1e-12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void AWeightOutsideZeroToOneIsRefusedNamingIt(double weight)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Smoothing.Exponential([1.0], weight));
        Assert.Contains("smoothing", e.Message);
    }
}
