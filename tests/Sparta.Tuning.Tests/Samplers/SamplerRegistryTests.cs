using Sparta.Configuration;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>Samplers built by name with parameters behave as the same samplers constructed directly.</summary>
public class SamplerRegistryTests
{
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["x"] = new FloatDistribution(-5, 5),
        ["lr"] = new FloatDistribution(1e-4, 1, log: true),
    };

    private static ComponentConfig Config(string name, params (string Key, object Value)[] parameters) =>
        new(name, parameters.Select(p => new KeyValuePair<string, object>(p.Key, p.Value)));

    /// <summary>The parameters of <paramref name="trials"/> trials of a study driven by <paramref name="sampler"/> on a fixed objective.</summary>
    private static List<(double X, double Lr)> Draws(ISampler sampler, int trials)
    {
        var study = Study.Create(sampler: sampler, seed: 3);
        study.Optimize(t => Math.Pow(t.SuggestFloat("x", -5, 5) - 1, 2) + Math.Log(t.SuggestFloat("lr", 1e-4, 1, log: true)), trials);
        return study.Trials.Select(t => ((double)t.Params["x"]!, (double)t.Params["lr"]!)).ToList();
    }

    [Fact]
    public void Sobol_start_up_over_more_parameters_than_the_sequence_has_names_the_key_and_the_parameter()
    {
        var study = Study.Create(sampler: SamplerRegistry.Create(Config("tpe", ("startup", "sobol")), 1), seed: 3);
        var error = Assert.Throws<ArgumentException>(() => study.Optimize(
            t => Enumerable.Range(0, SobolSequence.MaxDimension + 1).Sum(i => t.SuggestFloat($"p{i}", 0, 1)), 1));
        Assert.Contains("startup: sobol", error.Message);
        Assert.Contains($"parameter 'p{SobolSequence.MaxDimension}' would be dimension {SobolSequence.MaxDimension + 1}", error.Message);
    }

    [Fact]
    public void Tpe_start_up_trials_are_random_draws_then_tpe_takes_over_at_the_given_count()
    {
        var random = Draws(new RandomSampler(11), 5);
        var early = Draws(SamplerRegistry.Create(Config("tpe", ("startup_trials", 3.0)), 11, Space, 5), 5);
        var late = Draws(SamplerRegistry.Create("tpe", 11, Space, 5), 5); // Optuna's default: 10 start-up trials
        Assert.Equal(random.Take(3), early.Take(3));
        Assert.NotEqual(random[3], early[3]);
        Assert.Equal(random, late);
    }

    [Fact]
    public void Tpe_start_up_trials_from_sobol_are_the_sobol_samplers_points()
    {
        var sobol = Draws(new SobolSampler(11), 4);
        var tpe = Draws(SamplerRegistry.Create(Config("tpe", ("startup_trials", 4.0), ("startup", "sobol")), 11, Space, 5), 5);
        Assert.Equal(sobol, tpe.Take(4));
        Assert.NotEqual(Draws(new RandomSampler(11), 4), sobol);
    }

    [Fact]
    public void Every_parameter_reaches_the_sampler()
    {
        var tpe = Assert.IsType<TpeSampler>(SamplerRegistry.Create(Config("tpe", ("startup_trials", 4.0), ("ei_candidates", 7.0), ("multivariate", true)), 1));
        Assert.Equal((4, 7, true), (tpe.StartupTrials, tpe.EiCandidates, tpe.Multivariate));
        Assert.True(Assert.IsType<TpeSampler>(SamplerRegistry.Create("tpe-multivariate", 1)).Multivariate);
        var parzen = Assert.IsType<TpeSampler>(SamplerRegistry.Create(Config("tpe-multivariate",
            ("prior_weight", 2.5), ("consider_magic_clip", false), ("consider_endpoints", true)), 1)).Parzen;
        Assert.True(Assert.IsType<TpeSampler>(SamplerRegistry.Create(Config("tpe", ("startup", "sobol")), 1)).SobolStartup);
        Assert.False(Assert.IsType<TpeSampler>(SamplerRegistry.Create("tpe", 1)).SobolStartup);
        Assert.Equal((2.5, false, true, true), (parzen.PriorWeight, parzen.ConsiderMagicClip, parzen.ConsiderEndpoints, parzen.Multivariate));
        Assert.Equal(new ParzenOptions(), Assert.IsType<TpeSampler>(SamplerRegistry.Create("tpe", 1)).Parzen);
        var gp = Assert.IsType<GpSampler>(SamplerRegistry.Create(Config("gp", ("startup_trials", 6.0), ("candidates", 64.0), ("restarts", 0.0)), 1));
        Assert.Equal((6, 64, 0), (gp.StartupTrials, gp.Candidates, gp.Restarts));
        Assert.Equal((false, false, false), (gp.SobolStartup, gp.RankValues, gp.MeanIncumbent));
        var tuned = Assert.IsType<GpSampler>(SamplerRegistry.Create(Config("gp", ("startup", "sobol"), ("values", "rank"), ("incumbent", "mean")), 1));
        Assert.Equal((true, true, true), (tuned.SobolStartup, tuned.RankValues, tuned.MeanIncumbent));
        Assert.Equal(SobolScrambling.DigitalShift, Assert.IsType<SobolSampler>(SamplerRegistry.Create(Config("sobol", ("scrambling", "digital_shift")), 1)).Scrambling);
        Assert.Equal(SobolScrambling.Owen, Assert.IsType<SobolSampler>(SamplerRegistry.Create("sobol", 1)).Scrambling);
        // The grid takes the most points per range that fit the budget: 3 x 3 = 9 <= 10 < 16.
        Assert.Equal(9, Assert.IsType<GridSampler>(SamplerRegistry.Create("grid", 1, Space, trials: 10)).Size);
    }

    [Fact]
    public void A_sampler_of_a_seed_repeats_the_same_draws()
    {
        var config = Config("tpe", ("startup_trials", 2.0));
        Assert.Equal(Draws(SamplerRegistry.Create(config, 5, Space, 6), 6), Draws(SamplerRegistry.Create(config, 5, Space, 6), 6));
    }

    [Theory]
    [InlineData("tpee", "name", "unknown sampler 'tpee'; did you mean 'tpe'")]
    [InlineData("{name: tpe, startup_trial: 3}", "startup_trial", "unknown key; did you mean 'startup_trials'?")]
    [InlineData("{name: gp, candidates: many}", "candidates", "must be an integer, got 'many'")]
    [InlineData("{name: gp, startup: latin}", "startup", "must be one of random, sobol, got 'latin'")]
    [InlineData("{name: gp, incumbent: best}", "incumbent", "must be one of observed, mean, got 'best'")]
    [InlineData("{name: sobol, scrambling: halton}", "scrambling", "must be one of owen, digital_shift, none, got 'halton'")]
    [InlineData("{name: auto, gp_trials: many}", "gp_trials", "must be an integer, got 'many'")]
    [InlineData("{name: auto, gp_trial: 3}", "gp_trial", "unknown key; did you mean 'gp_trials'?")]
    [InlineData("{name: gp, hyperparameters: cold}", "hyperparameters", "must be one of warm, fresh, got 'cold'")]
    [InlineData("{name: random, seed: 3}", "seed", "unknown key; no keys are accepted here")]
    public void A_bad_name_or_parameter_is_reported_with_its_key_and_value(string text, string key, string problem)
    {
        var config = ComponentConfig.FromYaml(text);
        var e = Assert.Throws<ArgumentException>(() => ConfigProblems.Create(SamplerRegistry.Registry, config, (k, p, _) => new ArgumentException($"{k}|{p}")));
        Assert.StartsWith($"{key}|{problem}", e.Message);
    }

    [Fact]
    public void An_out_of_range_value_names_the_parameter_and_the_value()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => SamplerRegistry.Create(Config("tpe", ("startup_trials", -1.0))));
        Assert.Contains("startup_trials must be at least 0, got -1", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => SamplerRegistry.Create(Config("tpe", ("prior_weight", 0.0))));
        Assert.Contains("prior_weight must be positive and finite, got 0", e.Message);
    }
}
