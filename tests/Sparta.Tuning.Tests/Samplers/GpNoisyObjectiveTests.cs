using Sparta.Tensors;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>The GP's defences against what real objectives do: noise, diverged trials, few start-up points.</summary>
public class GpNoisyObjectiveTests
{
    [Fact]
    public void Normal_scores_are_the_quantiles_of_the_ranks_and_ties_share_theirs()
    {
        double[] values = { 3.0, -1.0, 250.0, 3.0, 0.5 };
        var scores = GpSampler.NormalScores(values);
        // Ranks 0..4: -1.0 -> 0, 0.5 -> 1, the two 3.0 -> 2 and 3 (mean 2.5), 250 -> 4.
        double Quantile(double rank) => Normal.InverseCdf((rank + 0.5) / 5);
        Assert.Equal(Quantile(2.5), scores[0], 12);
        Assert.Equal(Quantile(0), scores[1], 12);
        Assert.Equal(Quantile(4), scores[2], 12);
        Assert.Equal(scores[0], scores[3]);
        Assert.Equal(Quantile(1), scores[4], 12);
        // An outlier moves nothing but its own rank: 250 or 2.5e9 give the same scores.
        Assert.Equal(scores, GpSampler.NormalScores(new[] { 3.0, -1.0, 2.5e9, 3.0, 0.5 }));
        // Without ties the quantiles of (r + 0.5) / n are symmetric about 0.
        Assert.Equal(0, GpSampler.NormalScores(new[] { 3.0, -1.0, 250.0, 3.5, 0.5, 7.0 }).Sum(), 12);
    }

    [Fact]
    public void The_incumbent_is_the_lowest_posterior_mean_not_the_luckiest_observation()
    {
        // A flat function observed with noise, one observation a lucky draw far below the rest.
        var random = new RandomGenerator(4);
        var x = Enumerable.Range(0, 12).Select(_ => new[] { random.NextDouble() }).ToArray();
        var y = x.Select(_ => 0.3 * random.Normal()).ToArray();
        y[5] = -2.5;
        var scratch = new double[x.Length];

        // With a large fitted noise, the model does not believe the lucky draw.
        var noisy = new GaussianProcess(x, y);
        Assert.True(noisy.Fit(new[] { Math.Log(0.5), 0.0, Math.Log(0.5) }));
        double incumbent = GpSampler.Incumbent(noisy, x, scratch);
        double lowestMean = x.Min(p => noisy.Predict(p, scratch).Mean);
        Assert.Equal(lowestMean, incumbent, 12);
        Assert.True(incumbent > y.Min() + 1, $"incumbent {incumbent} against the lowest observation {y.Min()}");

        // Without noise the process interpolates, and the incumbent is the lowest observation.
        var exact = new GaussianProcess(x, y);
        Assert.True(exact.Fit(new[] { Math.Log(0.05), 0.0, Math.Log(1e-6) }));
        Assert.Equal(y.Min(), GpSampler.Incumbent(exact, x, scratch), 3);
    }

    [Fact]
    public void Sobol_startup_trials_are_the_sobol_samplers_points_and_cover_every_quarter()
    {
        double Objective(Trial t) => Math.Abs(Math.Log10(t.SuggestFloat("lr", 1e-4, 1e-1, log: true)) + 3) + t.SuggestFloat("dropout", 0, 0.5);
        var gp = Study.Create(sampler: new GpSampler(seed: 3, startupTrials: 4, candidates: 64, sobolStartup: true));
        var sobol = Study.Create(sampler: new SobolSampler(seed: 3));
        gp.Optimize(Objective, 5);
        sobol.Optimize(Objective, 4);
        Assert.Equal(sobol.Trials.Select(t => t.Params), gp.Trials.Take(4).Select(t => t.Params));
        // Four scrambled Sobol points put one value in each quarter of each range (log space for lr).
        var space = new FloatDistribution(1e-4, 1e-1, log: true);
        var quarters = gp.Trials.Take(4).Select(t => (int)(4 * UnitSpace.ToUnit(space, (double)t.Params["lr"]!))).Order();
        Assert.Equal(new[] { 0, 1, 2, 3 }, quarters);
        Assert.NotEqual(gp.Trials[4].Params, sobol.Trials.Select(t => t.Params).First()); // trial 5 is the model's
    }

    [Fact]
    public void Ranked_values_let_the_model_see_good_trials_past_a_diverged_one()
    {
        // A bowl in x whose one diverged trial (value 1e6) would set the scale of standardized
        // values: ranked, the model still concentrates its proposals near the minimum at 0.3.
        static double Objective(Trial t) { double x = t.SuggestFloat("x", 0, 1); return x > 0.95 ? 1e6 : (x - 0.3) * (x - 0.3); }
        var study = Study.Create(sampler: new GpSampler(seed: 6, startupTrials: 5, candidates: 256, rankValues: true));
        study.AddTrials(new[] { new FrozenTrial
        {
            State = TrialState.Complete, Values = new[] { 1e6 },
            InternalParams = new Dictionary<string, double> { ["x"] = 0.99 },
            Distributions = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(0, 1) },
        } });
        study.Optimize(Objective, 20);
        var late = study.Trials.Skip(11).Select(t => (double)t.Params["x"]!).ToList();
        Assert.True(late.Count(x => Math.Abs(x - 0.3) < 0.1) >= late.Count / 2, string.Join(", ", late));
    }
}
