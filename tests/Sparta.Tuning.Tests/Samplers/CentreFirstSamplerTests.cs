using Sparta.Configuration;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary><c>first_trial: centre</c>: trial 0 at the middle of every range, the rest as without it.</summary>
public class CentreFirstSamplerTests
{
    private static List<Dictionary<string, object?>> Run(ISampler sampler, int trials)
    {
        var study = Study.Create(sampler: sampler, seed: 3);
        study.Optimize(t => t.SuggestFloat("x", -5, 5) + Math.Log(t.SuggestFloat("lr", 1e-4, 1e-1, log: true))
            + t.SuggestInt("n", 1, 9) + t.SuggestInt("units", 32, 512, step: 32) + t.SuggestFloat("p", 0, 0.5, step: 0.1)
            + (t.SuggestCategorical("act", new object?[] { "relu", "tanh", "gelu" }) is "relu" ? 0 : 1), trials);
        return study.Trials.Select(t => t.Params.ToDictionary(p => p.Key, p => p.Value)).ToList();
    }

    private static ComponentConfig Config(string text) => ComponentConfig.FromYaml(text);

    [Theory]
    [InlineData("{name: tpe, first_trial: centre}")]
    [InlineData("{name: tpe-multivariate, startup_trials: 5, first_trial: centre}")]
    [InlineData("{name: gp, first_trial: centre}")]
    [InlineData("{name: gp, startup: sobol, first_trial: centre}")]
    public void Trial_0_takes_the_middle_of_each_range(string sampler)
    {
        var first = Run(SamplerRegistry.Create(Config(sampler), 11), 1)[0];
        Assert.Equal(0.0, (double)first["x"]!, 12);
        Assert.Equal(Math.Sqrt(1e-4 * 1e-1), (double)first["lr"]!, 12); // the geometric mean of a log range
        Assert.Equal(5L, Convert.ToInt64(first["n"]));
        Assert.Contains(Convert.ToInt64(first["units"]), new[] { 256L, 288L }); // 272 lies between two grid points
        Assert.Contains(Math.Round((double)first["p"]!, 12), new[] { 0.2, 0.3 }); // so does 0.25
        Assert.Equal("relu", first["act"]); // the choice written first
    }

    [Theory]
    [InlineData("tpe")]
    [InlineData("gp")]
    public void The_other_trials_are_those_of_the_sampler_without_it(string name)
    {
        var plain = Run(SamplerRegistry.Create(Config($"{{name: {name}, startup_trials: 4}}"), 11), 6);
        var centred = Run(SamplerRegistry.Create(Config($"{{name: {name}, startup_trials: 4, first_trial: centre}}"), 11), 4);
        Assert.NotEqual(plain[0], centred[0]);
        Assert.Equal(plain.Skip(1).Take(3), centred.Skip(1).Take(3)); // the start-up draws of trials 1..3 depend on their numbers only
    }

    [Fact]
    public void The_default_is_a_random_first_trial_and_the_key_is_checked()
    {
        Assert.False(Assert.IsType<TpeSampler>(SamplerRegistry.Create("tpe", 1)).CentreFirst);
        Assert.True(Assert.IsType<TpeSampler>(SamplerRegistry.Create(Config("{name: tpe, first_trial: centre}"), 1)).CentreFirst);
        Assert.True(Assert.IsType<GpSampler>(SamplerRegistry.Create(Config("{name: gp, first_trial: centre}"), 1)).CentreFirst);
        var e = Assert.Throws<ArgumentException>(() => ConfigProblems.Create(SamplerRegistry.Registry, Config("{name: tpe, first_trial: middle}"),
            (k, p, _) => new ArgumentException($"{k}|{p}")));
        Assert.StartsWith("first_trial|must be one of random, centre, got 'middle'", e.Message);
    }
}
