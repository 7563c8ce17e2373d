using Sparta.Metrics;
using Sparta.Tensors;

namespace Sparta.Tests.Metrics;

public class RankingMetricTests
{
    [Fact]
    public void AveragePrecisionOfTheSklearnExample()
    {
        // sklearn's documented example: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333.
        Assert.Equal(5.0 / 6, AveragePrecision.Of([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]), 12);
    }

    [Fact]
    public void TiedScoresFormOneThreshold()
    {
        // Threshold 0.5: 2 of 3 right, recall 2/3; threshold 0.2: 3 of 4, recall 1 → 2/3·2/3 + 1/3·3/4.
        Assert.Equal(4.0 / 9 + 1.0 / 4, AveragePrecision.Of([0.5f, 0.5f, 0.5f, 0.2f], [true, false, true, true]), 12);
    }

    [Fact]
    public void AveragePrecisionMatchesTheDefinitionOnRandomData()
    {
        var random = new RandomGenerator(17);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = 5 + random.NextInt(40);
            // Scores on a coarse grid so ties occur.
            var scores = Enumerable.Range(0, n).Select(_ => random.NextInt(10) / 10f).ToArray();
            var positive = Enumerable.Range(0, n).Select(i => random.NextDouble() < 0.3 + 0.5 * scores[i]).ToArray();
            if (!positive.Contains(true)) positive[0] = true;
            Assert.Equal(ByDefinition(scores, positive), AveragePrecision.Of(scores, positive), 10);
        }
    }

    [Fact]
    public void AveragePrecisionWithoutPositivesIsUndefined() =>
        Assert.True(double.IsNaN(AveragePrecision.Of([0.3f, 0.1f], [false, false])));

    [Fact]
    public void MeanAveragePrecisionAveragesClassesWithPositives()
    {
        var random = new RandomGenerator(4);
        int n = 30, classes = 4;
        var scores = new float[n * classes];
        for (int i = 0; i < scores.Length; i++) scores[i] = (float)random.NextDouble();
        // No sample of class 3: it is left out of the mean.
        var labels = Enumerable.Range(0, n).Select(i => (float)random.NextInt(3)).ToArray();
        var metric = new MeanAveragePrecision();
        metric.Update(Tensor.FromArray(labels[..10], 10), Tensor.FromArray(scores[..40], 10, classes));
        metric.Update(Tensor.FromArray(labels[10..], 20), Tensor.FromArray(scores[40..], 20, classes));
        double expected = Enumerable.Range(0, 3).Average(c => ByDefinition(
            Enumerable.Range(0, n).Select(i => scores[i * classes + c]).ToArray(),
            labels.Select(l => l == c).ToArray()));
        Assert.Equal(expected, metric.Result(), 10);
        Assert.True(double.IsNaN(metric.ResultPerClass()[3]));
    }

    [Fact]
    public void MeanAveragePrecisionOfASingleScoreIsTheApOfClassOne()
    {
        var metric = new MeanAveragePrecision();
        metric.Update(Tensor.FromArray([0f, 0f, 1f, 1f], 4), Tensor.FromArray([0.1f, 0.4f, 0.35f, 0.8f], 4));
        Assert.Equal(5.0 / 6, metric.Result(), 12);
    }

    /// <summary>Σ over distinct thresholds τ (descending) of (R(τ) − R(τ_prev))·P(τ), counting scores ≥ τ.</summary>
    private static double ByDefinition(float[] scores, bool[] positive)
    {
        int positives = positive.Count(p => p);
        double ap = 0, previousRecall = 0;
        foreach (float threshold in scores.Distinct().OrderByDescending(s => s))
        {
            int selected = 0, hits = 0;
            for (int i = 0; i < scores.Length; i++)
                if (scores[i] >= threshold)
                {
                    selected++;
                    if (positive[i]) hits++;
                }
            double recall = (double)hits / positives;
            ap += (recall - previousRecall) * hits / selected;
            previousRecall = recall;
        }
        return ap;
    }
}
