using Sparta.Data.Preprocessing;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Preprocessing;

public class StandardizeTests
{
    [Fact]
    public void PerFeatureUsesTrainingStatisticsOnly()
    {
        var random = new RandomGenerator(1);
        var train = Naive.Random(random, 40, 5);
        var test = Naive.Random(random, 7, 5);
        test.Span[0] += 100; // a test-only outlier must not move the statistics

        var step = new Standardize(StatisticsScope.Feature);
        var trainOut = step.FitTransform(train);
        var testOut = step.Transform(test);

        var mean = Naive.ColumnMeans(train);
        var std = Naive.ColumnStds(train);
        for (int i = 0; i < test.Size; i++)
            Assert.Equal((test.Span[i] - mean[i % 5]) / std[i % 5], testOut.Span[i], 4);
        Assert.All(Naive.ColumnMeans(trainOut), m => Assert.Equal(0, m, 5));
        Assert.All(Naive.ColumnStds(trainOut), s => Assert.Equal(1, s, 5));
    }

    [Fact]
    public void PerChannelPoolsBatchAndPixels()
    {
        var x = Naive.Random(new RandomGenerator(2), 6, 3, 4, 5);
        var y = new Standardize(StatisticsScope.Channel).FitTransform(x);

        for (int ch = 0; ch < 3; ch++)
        {
            var values = Enumerable.Range(0, 6).SelectMany(n => x.Span.Slice((n * 3 + ch) * 20, 20).ToArray()).Select(v => (double)v).ToArray();
            double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            for (int n = 0; n < 6; n++)
                for (int p = 0; p < 20; p++)
                {
                    int i = (n * 3 + ch) * 20 + p;
                    Assert.Equal((x.Span[i] - mean) / std, y.Span[i], 4);
                }
        }
    }

    [Fact]
    public void OverAllValuesUsesOneMeanAndStd()
    {
        var x = Naive.Random(new RandomGenerator(3), 8, 2, 3, 3);
        var y = new Standardize(StatisticsScope.All).FitTransform(x);
        var values = x.ToArray().Select(v => (double)v).ToArray();
        double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        for (int i = 0; i < x.Size; i++) Assert.Equal((x.Span[i] - mean) / std, y.Span[i], 4);
    }

    [Fact]
    public void CenteringKeepsTheSpread()
    {
        var x = Naive.Random(new RandomGenerator(4), 30, 4);
        var y = new Standardize(StatisticsScope.Feature, unitVariance: false).FitTransform(x);
        Assert.All(Naive.ColumnMeans(y), m => Assert.Equal(0, m, 5));
        Assert.Equal(Naive.ColumnStds(x), Naive.ColumnStds(y), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void ConstantFeatureIsOnlyCentered()
    {
        var x = Tensor.FromArray([1, 7, 2, 7, 3, 7], 3, 2);
        var y = new Standardize().FitTransform(x);
        Assert.Equal([0f, 0f, 0f], new[] { y.Span[1], y.Span[3], y.Span[5] });
    }

    [Fact]
    public void ResultIsTheSameWhateverTheThreadCount()
    {
        var x = Naive.Random(new RandomGenerator(5), 1500, 7);
        using var threadCount = Sparta.Parallelism.Scope(1);
        var one = new Standardize().FitTransform(x).ToArray();
        Sparta.Parallelism.ThreadCount = 4;
        Assert.Equal(one, new Standardize().FitTransform(x).ToArray());
    }

    [Fact]
    public void MinMaxMapsTrainingRangeToTheTarget()
    {
        var x = Naive.Random(new RandomGenerator(6), 25, 3);
        foreach (var (low, high) in new[] { (0.0, 1.0), (-1.0, 1.0) })
        {
            var y = new MinMaxScale(StatisticsScope.Feature, low, high).FitTransform(x);
            for (int j = 0; j < 3; j++)
            {
                var column = Enumerable.Range(0, 25).Select(r => y.Span[r * 3 + j]).ToArray();
                Assert.Equal(low, column.Min(), 5);
                Assert.Equal(high, column.Max(), 5);
                int argmin = Array.IndexOf(column, column.Min());
                var source = Enumerable.Range(0, 25).Select(r => x.Span[r * 3 + j]).ToArray();
                Assert.Equal(Array.IndexOf(source, source.Min()), argmin);
            }
        }
    }

    [Fact]
    public void SampleNormalizeMakesEachSampleZeroMeanUnitStd()
    {
        var x = Naive.Random(new RandomGenerator(7), 5, 2, 3, 3);
        for (int i = 0; i < 18; i++) x.Span[i] *= 40; // samples with different ranges
        var y = new SampleNormalize(epsilon: 0).FitTransform(x);
        for (int n = 0; n < 5; n++)
        {
            var row = y.Span.Slice(n * 18, 18).ToArray().Select(v => (double)v).ToArray();
            double mean = row.Average();
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, Math.Sqrt(row.Select(v => (v - mean) * (v - mean)).Average()), 5);
        }
    }

    [Fact]
    public void TransformChecksFitAndShape()
    {
        var step = new Standardize();
        Assert.Contains("before fit", Assert.Throws<InvalidOperationException>(() => step.Transform(Tensor.Zeros(2, 3))).Message);
        step.Fit(Naive.Random(new RandomGenerator(8), 4, 3));
        var e = Assert.Throws<ArgumentException>(() => step.Transform(Tensor.Zeros(2, 4)));
        Assert.Contains("(3)", e.Message);
        Assert.Contains("(2, 4)", e.Message);
    }
}
