using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>
/// Every sampler on a define-by-run conditional space: an optimizer branch (SGD with momentum, or
/// Adam) and 1 to 3 layers with a width each, so each trial draws a different set of parameters.
/// </summary>
public class ConditionalSpaceTests
{
    /// <summary>Every parameter the problem can draw, for the grid (which needs its points up front).</summary>
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["optimizer"] = new CategoricalDistribution(new object?[] { "sgd", "adam" }),
        ["optimizer.sgd.lr"] = new FloatDistribution(1e-4, 1, log: true),
        ["optimizer.sgd.momentum"] = new FloatDistribution(0, 0.99),
        ["optimizer.adam.lr"] = new FloatDistribution(1e-5, 1e-1, log: true),
        ["layers"] = new IntDistribution(1, 3),
        ["layers.0.units"] = new IntDistribution(8, 512, log: true),
        ["layers.1.units"] = new IntDistribution(8, 512, log: true),
        ["layers.2.units"] = new IntDistribution(8, 512, log: true),
    };

    /// <summary>
    /// A loss shaped like a training run's: SGD at lr 0.01 with momentum 0.9 reaches 0, Adam at
    /// best 0.5; two layers of about 64 units are best. Each term needs the parameters of its branch.
    /// </summary>
    private static double Objective(Trial trial)
    {
        string optimizer = trial.SuggestCategorical("optimizer", new[] { "sgd", "adam" });
        double loss = optimizer == "sgd"
            ? Square(Math.Log10(Suggest(trial, "optimizer.sgd.lr")) + 2) + 4 * Square(Suggest(trial, "optimizer.sgd.momentum") - 0.9)
            : 0.5 + Square(Math.Log10(Suggest(trial, "optimizer.adam.lr")) + 3);
        int layers = (int)(long)trial.Suggest("layers", Space["layers"])!;
        loss += 0.5 * Square(layers - 2);
        for (int k = 0; k < layers; k++) loss += 0.1 * Square(Math.Log2((long)trial.Suggest($"layers.{k}.units", Space[$"layers.{k}.units"])!) - 6);
        return loss;
    }

    private static double Suggest(Trial trial, string name) => (double)trial.Suggest(name, Space[name])!;
    private static double Square(double x) => x * x;

    [Theory]
    [InlineData("random")]
    [InlineData("grid")]
    [InlineData("sobol")]
    [InlineData("tpe")]
    [InlineData("tpe-multivariate")]
    [InlineData("gp")]
    [InlineData("auto")]
    public void Every_sampler_draws_only_the_parameters_of_the_chosen_branch(string name)
    {
        var study = Study.Create(sampler: SamplerRegistry.Create(name, seed: 5, Space, trials: 30));
        study.Optimize(Objective, 30);
        var trials = study.Trials;
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        foreach (var trial in trials)
        {
            string optimizer = (string)trial.Params["optimizer"]!;
            long layers = (long)trial.Params["layers"]!;
            var expected = new[] { "optimizer", "layers" }
                .Concat(optimizer == "sgd" ? ["optimizer.sgd.lr", "optimizer.sgd.momentum"] : ["optimizer.adam.lr"])
                .Concat(Enumerable.Range(0, (int)layers).Select(k => $"layers.{k}.units"));
            Assert.Equal(expected.Order(), trial.Params.Keys.Order());
            foreach (var (param, value) in trial.InternalParams) Assert.True(Space[param].Contains(value), $"{name}: {param}={value}");
        }
        // Both branches and every layer count are explored (30 trials give the grid two points per
        // range, its ends: 1 and 3 layers).
        Assert.Equal(2, trials.Select(t => t.Params["optimizer"]).Distinct().Count());
        Assert.Equal(name == "grid" ? [1L, 3L] : [1L, 2L, 3L], trials.Select(t => (long)t.Params["layers"]!).Distinct().Order());
    }

    /// <summary>
    /// TPE fits each conditional parameter to the trials that hold it (Optuna's behaviour), so it
    /// still learns inside each branch: over 15 seeds its median best beats random search's.
    /// </summary>
    [Fact]
    public void Tpe_beats_random_search_on_a_conditional_space()
    {
        double MedianBest(Func<ulong, ISampler> sampler)
        {
            var bests = Enumerable.Range(0, 15).Select(seed =>
            {
                var study = Study.Create(sampler: sampler((ulong)seed));
                study.Optimize(Objective, 60);
                return study.BestValue;
            }).Order().ToArray();
            return bests[bests.Length / 2];
        }
        double tpe = MedianBest(seed => new TpeSampler(seed));
        double random = MedianBest(seed => new RandomSampler(seed));
        Assert.True(tpe < random, $"median best after 60 trials: tpe {tpe}, random {random}");
    }
}
