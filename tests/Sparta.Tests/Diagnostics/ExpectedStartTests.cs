using Sparta.Diagnostics;
using Sparta.Tensors;

namespace Sparta.Tests.Diagnostics;

public class ExpectedStartTests
{
    private static double LogSumExp(double[] z) => z.Max() + Math.Log(z.Sum(v => Math.Exp(v - z.Max())));

    [Fact]
    public void EqualLogitsStartAtLnC()
    {
        var start = ExpectedStart.Of(Enumerable.Repeat(0.7f, 4 * 5).ToArray(), [0, 1, 2, 4], classes: 5);
        Assert.Equal(Math.Log(5), start.Loss, 12);
        Assert.Equal(0, start.Spread, 12);
        Assert.Equal(0, start.StandardError, 12);
    }

    [Fact]
    public void SpreadLogitsStartAboutHalfTheirVarianceAboveLnC()
    {
        const int n = 4000, classes = 10;
        var random = new RandomGenerator(2);
        var logits = new float[n * classes];
        random.FillNormal(logits, 0, 0.3);
        var labels = Enumerable.Range(0, n).Select(_ => random.NextInt(classes)).ToArray();
        var start = ExpectedStart.Of(logits, labels, classes);

        // The measured loss by hand, LSE(z) − z_y, lies within four standard errors of the expectation.
        double measured = Enumerable.Range(0, n).Average(i =>
        {
            var z = logits.AsSpan(i * classes, classes).ToArray().Select(v => (double)v).ToArray();
            return LogSumExp(z) - z[labels[i]];
        });
        Assert.InRange(measured, start.Loss - 4 * start.StandardError, start.Loss + 4 * start.StandardError);
        // Second order: ln C + v/2, v the logits' variance across classes (here ≈ 0.09·9/10).
        double variance = Enumerable.Range(0, n).Average(i =>
        {
            var z = logits.AsSpan(i * classes, classes).ToArray();
            double mean = z.Average(v => (double)v);
            return z.Average(v => (v - mean) * (v - mean));
        });
        Assert.Equal(Math.Sqrt(variance), start.Spread, 9);
        Assert.Equal(Math.Log(classes) + variance / 2, start.Loss, 3e-3);
    }

    [Fact]
    public void ProbabilitiesGiveTheSameExpectationAsTheirLogits()
    {
        float[] logits = [2f, -1f, 0.5f, 0f, 3f, -2f];
        float[] probabilities = new float[6];
        for (int i = 0; i < 2; i++)
        {
            double lse = LogSumExp(logits.Skip(3 * i).Take(3).Select(v => (double)v).ToArray());
            for (int k = 0; k < 3; k++) probabilities[3 * i + k] = (float)Math.Exp(logits[3 * i + k] - lse);
        }
        var fromLogits = ExpectedStart.Of(logits, [0, 2], 3);
        var fromProbabilities = ExpectedStart.Of(probabilities, [0, 2], 3, probabilities: true);
        Assert.Equal(fromLogits.Loss, fromProbabilities.Loss, 5);
        // By hand: labels 0 and 2 have frequency 1/2 each.
        double expected = (LogSumExp([2, -1, 0.5]) - (2 + 0.5) / 2 + LogSumExp([0, 3, -2]) - (0 - 2) / 2.0) / 2;
        Assert.Equal(expected, fromLogits.Loss, 6);
    }
}
