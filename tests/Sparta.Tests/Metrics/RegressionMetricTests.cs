using Sparta.Metrics;
using Sparta.Tensors;

namespace Sparta.Tests.Metrics;

public class RegressionMetricTests
{
    private static (float[] Truth, float[] Prediction) Data(int n, int seed = 9)
    {
        var random = new RandomGenerator((ulong)seed);
        var truth = Enumerable.Range(0, n).Select(_ => (float)random.Normal(3, 2)).ToArray();
        var prediction = truth.Select(t => t + (float)random.Normal(0.3, 0.8)).ToArray();
        return (truth, prediction);
    }

    [Fact]
    public void MseMaeRmseStreamAndMatchTheirDefinitions()
    {
        var (y, p) = Data(100); // 6 vectors of 16 and a tail of 4
        double mse = y.Zip(p, (a, b) => (double)(b - a) * (b - a)).Average();
        double mae = y.Zip(p, (a, b) => Math.Abs((double)(b - a))).Average();
        foreach (var (name, expected) in new[] { ("mse", mse), ("mae", mae), ("rmse", Math.Sqrt(mse)) })
        {
            var metric = new ErrorMetric(name);
            metric.Update(Tensor.FromArray(y[..37], 37), Tensor.FromArray(p[..37], 37));
            metric.Update(Tensor.FromArray(y[37..], 63), Tensor.FromArray(p[37..], 63));
            Assert.Equal(expected, metric.Result(), 10);
        }
    }

    [Fact]
    public void MaseOfTheSlidesFormula()
    {
        // Σ|ŷ − y| = 2.5; (n/(n−1)) Σ|yᵢ − yᵢ₋₁| = 5/4 · 7.
        float[] y = [1, 3, 2, 5, 4];
        float[] p = [1.5f, 2.5f, 2, 4, 4.5f];
        var metric = new Mase();
        metric.Update(Tensor.FromArray(y[..2], 2), Tensor.FromArray(p[..2], 2));
        metric.Update(Tensor.FromArray(y[2..], 3), Tensor.FromArray(p[2..], 3));
        Assert.Equal(2.5 / (5.0 / 4 * 7), metric.Result(), 12);
    }

    [Fact]
    public void MaseScaledByTheInSampleSeasonalNaiveForecast()
    {
        float[] training = [10, 12, 11, 15, 13, 16, 14];
        // Seasonal naive (m = 2) errors: |11−10|, |15−12|, |13−11|, |16−15|, |14−13| → mean 8/5.
        var metric = new Mase(seasonality: 2);
        metric.SetInSampleSeries(training);
        var (y, p) = Data(20);
        metric.Update(Tensor.FromArray(y, 20), Tensor.FromArray(p, 20));
        double mae = y.Zip(p, (a, b) => Math.Abs((double)(b - a))).Average();
        Assert.Equal(mae / (8.0 / 5), metric.Result(), 10);
    }

    [Fact]
    public void R2OfOneAndSeveralOutputs()
    {
        var (y, p) = Data(60);
        double R2(IEnumerable<int> indices)
        {
            var idx = indices.ToArray();
            double mean = idx.Average(i => (double)y[i]);
            return 1 - idx.Sum(i => Math.Pow(p[i] - (double)y[i], 2)) / idx.Sum(i => Math.Pow(y[i] - mean, 2));
        }
        var single = new R2Score();
        single.Update(Tensor.FromArray(y[..25], 25), Tensor.FromArray(p[..25], 25));
        single.Update(Tensor.FromArray(y[25..], 35), Tensor.FromArray(p[25..], 35));
        Assert.Equal(R2(Enumerable.Range(0, 60)), single.Result(), 10);

        // Three outputs: the uniform average of each column's R².
        var multi = new R2Score();
        multi.Update(Tensor.FromArray(y, 20, 3), Tensor.FromArray(p, 20, 3));
        double expected = Enumerable.Range(0, 3).Average(k => R2(Enumerable.Range(0, 20).Select(n => n * 3 + k)));
        Assert.Equal(expected, multi.Result(), 10);
    }

    [Fact]
    public void R2OfConstantTargetsFollowsSklearn()
    {
        var exact = new R2Score();
        exact.Update(Tensor.Full(2f, 4), Tensor.Full(2f, 4));
        Assert.Equal(1, exact.Result());
        var wrong = new R2Score();
        wrong.Update(Tensor.Full(2f, 4), Tensor.Full(3f, 4));
        Assert.Equal(0, wrong.Result());
    }

    [Fact]
    public void ConcordanceCorrelationMatchesLinsFormula()
    {
        var (y, p) = Data(50);
        double my = y.Average(v => (double)v), mp = p.Average(v => (double)v);
        double vy = y.Average(v => (v - my) * (v - my)), vp = p.Average(v => (v - mp) * (v - mp));
        double cov = y.Zip(p, (a, b) => (a - my) * (b - mp)).Average();
        double expected = 2 * cov / (vy + vp + (my - mp) * (my - mp));
        var metric = new ConcordanceCorrelation();
        metric.Update(Tensor.FromArray(y[..13], 13), Tensor.FromArray(p[..13], 13));
        metric.Update(Tensor.FromArray(y[13..], 37), Tensor.FromArray(p[13..], 37));
        Assert.Equal(expected, metric.Result(), 10);
    }

    [Fact]
    public void ConcordanceIsOneForAgreementAndPenalizesBias()
    {
        float[] y = [1, 2, 3, 4];
        Assert.Equal(1, Evaluate(new ConcordanceCorrelation(), y, y), 12);
        Assert.Equal(-1, Evaluate(new ConcordanceCorrelation(), [-1, 1, -2, 2], [1, -1, 2, -2]), 12);
        // Shifted by 1: covariance = variance = 1.25, so 2.5 / (2.5 + 1).
        Assert.Equal(2.5 / 3.5, Evaluate(new ConcordanceCorrelation(), y, y.Select(v => v + 1).ToArray()), 12);
    }

    [Fact]
    public void MismatchedSizesAndBadSeasonalityAreOneLineErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => new ErrorMetric("mse").Update(Tensor.Zeros(3), Tensor.Zeros(4)));
        Assert.Contains("(3)", e.Message);
        Assert.Contains("(4)", e.Message);
        var s = Assert.ThrowsAny<ArgumentException>(() => new Mase(0));
        Assert.Contains("seasonality", s.Message);
        Assert.DoesNotContain('\n', s.Message);
    }

    private static double Evaluate(Metric metric, float[] y, float[] p)
    {
        metric.Update(Tensor.FromArray(y, y.Length), Tensor.FromArray(p, p.Length));
        return metric.Result();
    }
}
