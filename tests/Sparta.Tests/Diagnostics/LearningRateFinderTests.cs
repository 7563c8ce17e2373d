using Sparta.Diagnostics;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tests.Training;

namespace Sparta.Tests.Diagnostics;

public class LearningRateFinderTests
{
    // Linear regression with inputs uniform in [−1, 1]: the MSE's Hessian is 2·E[(x, 1)(x, 1)ᵀ] with
    // eigenvalues 2/3, 2/3 and 2, so plain SGD diverges above 2/2 = 1 (mini-batches make it noisier).
    // 2000 examples in batches of 20: 100 batches per pass.
    private static (Model Model, LearningRateFinder.Result Result) Find(ulong seed = 1)
    {
        var data = TrainingData.Linear(2000, 5);
        var model = new Sequential([2], [new Dense(1)], "linear", seed);
        var result = LearningRateFinder.Run(model, LossRegistry.Create("mse"), rate => new Sgd(rate), data, batchSize: 20,
            start: 1e-4, end: 100, steps: 300, seed: seed);
        return (model, result);
    }

    [Fact]
    public void StopsWhenTheLossExplodesAndSuggestsAStableRate()
    {
        var (_, result) = Find();
        Assert.True(result.Exploded, "the sweep to 100 must diverge");
        Assert.InRange(result.Rates[^1], 0.5, 20);     // divergence sets in past the stability limit of 1
        Assert.InRange(result.SteepestRate, 1e-3, 1);
        Assert.InRange(result.MinimumRate, 0.05, 3);      // the smoothing lags: the minimum shows up near the limit
        Assert.True(result.MinimumOverTen < 1, "min/10 must be a stable rate");
        Assert.Equal(result.MinimumRate / 10, result.MinimumOverTen, 15);
        Assert.True(result.SmoothedLosses.Min() < 0.2 * result.SmoothedLosses[0], "the loss must fall well before exploding");
    }

    [Fact]
    public void RatesGrowExponentiallyAndTheLossIsSmoothedWithBiasCorrection()
    {
        var (_, result) = Find();
        const int steps = 300;   // three passes of 100 batches
        for (int i = 0; i < result.Rates.Count; i++)
            Assert.Equal(1e-4 * Math.Pow(1e6, i / (double)(steps - 1)), result.Rates[i], 1e-9 * result.Rates[i]);
        double average = 0;
        for (int i = 0; i < result.Losses.Count; i++)
        {
            average = 0.98 * average + 0.02 * result.Losses[i];
            Assert.Equal(average / (1 - Math.Pow(0.98, i + 1)), result.SmoothedLosses[i], 1e-9 * Math.Abs(result.SmoothedLosses[i]));
        }
    }

    [Fact]
    public void RestoresTheWeights()
    {
        var untouched = new Sequential([2], [new Dense(1)], "linear", 1);
        var (model, _) = Find();
        TrainingData.AssertSameWeights(untouched, model);
    }

    [Fact]
    public void RejectsAnEmptyRange()
    {
        var e = Assert.Throws<ArgumentException>(() => LearningRateFinder.Run(new Sequential([2], [new Dense(1)]), LossRegistry.Create("mse"),
            rate => new Sgd(rate), TrainingData.Linear(10, 1), start: 1, end: 0.1));
        Assert.Contains("start 1, end 0.1", e.Message);
    }
}
