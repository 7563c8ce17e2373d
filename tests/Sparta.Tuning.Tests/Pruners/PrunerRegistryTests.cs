using Sparta.Configuration;
using Sparta.Tuning.Pruners;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Pruners;

/// <summary>Pruners built by name with parameters decide as the same pruners constructed directly.</summary>
public class PrunerRegistryTests
{
    private static ComponentConfig Config(string name, params (string Key, object Value)[] parameters) =>
        new(name, parameters.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));

    /// <summary>Whether a trial reporting <paramref name="value"/> at step 0 is pruned after complete trials reported 1, 2, 3, 4.</summary>
    private static bool Prunes(IPruner pruner, double value)
    {
        var study = Study.Create(pruner: pruner, sampler: new RandomSampler(1));
        foreach (double v in new[] { 1.0, 2.0, 3.0, 4.0 })
        {
            var done = study.Ask();
            done.Report(v, 0);
            study.Tell(done, v);
        }
        var trial = study.Ask();
        trial.Report(value, 0);
        return trial.ShouldPrune();
    }

    [Fact]
    public void Median_and_percentile_parameters_change_the_decisions_as_optunas_rules_say()
    {
        // Four complete trials: below the default five start-up trials nothing is pruned.
        Assert.False(Prunes(PrunerRegistry.Create("median"), 3.5));
        // With one start-up trial the median of 1..4 is 2.5: 3.5 is pruned, 2.4 is not.
        Assert.True(Prunes(PrunerRegistry.Create(Config("median", ("startup_trials", 1.0))), 3.5));
        Assert.False(Prunes(PrunerRegistry.Create(Config("median", ("startup_trials", 1.0))), 2.4));
        // Warm-up: step 0 is never judged with warmup_steps 1.
        Assert.False(Prunes(PrunerRegistry.Create(Config("median", ("startup_trials", 1.0), ("warmup_steps", 1.0))), 3.5));
        // The 25th percentile of 1..4 (linear, as numpy) is 1.75.
        Assert.True(Prunes(PrunerRegistry.Create(Config("percentile", ("percentile", 25.0), ("startup_trials", 1.0))), 2.0));
        Assert.False(Prunes(PrunerRegistry.Create(Config("percentile", ("percentile", 25.0), ("startup_trials", 1.0))), 1.7));
        Assert.False(Prunes(PrunerRegistry.Create("none"), 100));
    }

    [Fact]
    public void Every_parameter_reaches_the_pruner()
    {
        var percentile = Assert.IsType<PercentilePruner>(PrunerRegistry.Create(Config("percentile", ("percentile", 10.0), ("startup_trials", 2.0),
            ("warmup_steps", 3.0), ("interval_steps", 4.0), ("min_trials", 5.0))));
        Assert.Equal((10.0, 2, 3, 4, 5), (percentile.Percentile, percentile.StartupTrials, percentile.WarmupSteps, percentile.IntervalSteps, percentile.MinTrials));
        Assert.Equal(50, Assert.IsType<MedianPruner>(PrunerRegistry.Create("median")).Percentile);
        var halving = Assert.IsType<SuccessiveHalvingPruner>(PrunerRegistry.Create(Config("successive-halving", ("min_resource", 2.0), ("reduction_factor", 3.0), ("min_early_stopping_rate", 1.0))));
        Assert.Equal((3, 1), (halving.ReductionFactor, halving.MinEarlyStoppingRate));
        Assert.IsType<HyperbandPruner>(PrunerRegistry.Create(Config("hyperband", ("min_resource", 1.0), ("max_resource", 27.0), ("reduction_factor", 3.0))));
    }

    [Theory]
    [InlineData("medain", "name", "unknown pruner 'medain'; did you mean 'median'?")]
    [InlineData("{name: median, warmup_step: 2}", "warmup_step", "unknown key; did you mean 'warmup_steps'?")]
    [InlineData("percentile", "percentile", "missing; e.g. {name: percentile, percentile: 25}")]
    [InlineData("{name: percentile, percentile: 120}", "percentile", "must be in [0, 100], got 120")]
    [InlineData("{name: hyperband, bootstrap_count: 2}", "bootstrap_count", "needs an explicit max_resource")]
    public void A_bad_name_or_parameter_is_reported_with_its_key_and_value(string text, string key, string problem)
    {
        var config = ComponentConfig.FromYaml(text);
        var e = Assert.Throws<ArgumentException>(() => ConfigProblems.Create(PrunerRegistry.Registry, config, (k, p, _) => new ArgumentException($"{k}|{p}")));
        Assert.Equal($"{key}|{problem}", e.Message);
    }
}
