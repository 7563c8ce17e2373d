using Sparta.Configuration;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Tests.Samplers;

/// <summary>
/// <c>auto</c> proposes what the GP variant proposes on a numeric, unconstrained, unconditional
/// history below its budget, and what TPE proposes otherwise: on one stored history, the next trial
/// of each sampler is compared value for value.
/// </summary>
public class AutoSamplerTests
{
    private const ulong Seed = 7;
    private const int History = 14;

    private static double Numeric(Trial t) =>
        Math.Pow(t.SuggestFloat("x", -5, 5) - 1, 2) + Math.Abs(Math.Log10(t.SuggestFloat("lr", 1e-4, 1, log: true)) + 2) + 0.01 * t.SuggestInt("units", 8, 512, log: true);

    private static double WithChoice(Trial t) => Numeric(t) + (t.SuggestCategorical("act", new[] { "relu", "tanh" }) == "relu" ? 0 : 1);

    private static double Constrained(Trial t)
    {
        double value = Numeric(t);
        t.SetConstraints([(double)t.Params["x"]! - 2]);
        return value;
    }

    private static double Conditional(Trial t) => Numeric(t) + (t.Number % 2 == 0 ? t.SuggestFloat("momentum", 0, 1) : 0);

    /// <summary>The parameters <paramref name="sampler"/> gives the trial after <see cref="History"/> random trials of <paramref name="objective"/>.</summary>
    private static IReadOnlyDictionary<string, object?> Next(ISampler sampler, Func<Trial, double> objective)
    {
        var storage = new InMemoryStorage();
        Study.Create("s", storage: storage, sampler: new RandomSampler(3), seed: 3).Optimize(objective, History);
        var study = Study.Load("s", storage, sampler, seed: 3);
        study.Optimize(objective, 1);
        return study.Trials[^1].Params;
    }

    private static ISampler Gp() => SamplerRegistry.Create(ComponentConfig.FromYaml("{name: gp, startup_trials: 5, startup: sobol, incumbent: mean}"), Seed);
    private static ISampler Tpe() => new TpeSampler(Seed);
    private static ISampler Auto(int gpTrials = AutoSampler.DefaultGpTrials) => new AutoSampler(Seed, gpTrials);

    [Fact]
    public void On_a_numeric_history_auto_proposes_what_the_gp_variant_proposes()
    {
        var gp = Next(Gp(), Numeric);
        Assert.Equal(gp, Next(Auto(), Numeric));
        Assert.NotEqual(Next(Tpe(), Numeric), gp); // the two samplers tell apart on this history
    }

    [Fact]
    public void A_study_of_auto_is_the_study_of_the_gp_variant_trial_for_trial()
    {
        static List<IReadOnlyDictionary<string, object?>> Run(ISampler sampler)
        {
            var study = Study.Create(sampler: sampler, seed: 2);
            study.Optimize(Numeric, 12);
            return study.Trials.Select(t => t.Params).ToList();
        }
        Assert.Equal(Run(Gp()), Run(Auto()));
    }

    [Fact]
    public void With_a_categorical_parameter_auto_proposes_what_tpe_proposes()
    {
        var tpe = Next(Tpe(), WithChoice);
        Assert.Equal(tpe, Next(Auto(), WithChoice));
        Assert.NotEqual(Next(Gp(), WithChoice), tpe);
    }

    [Fact]
    public void A_categorical_parameter_in_the_declared_space_gives_tpe_from_the_first_trial()
    {
        var space = new Dictionary<string, Distribution> { ["x"] = new FloatDistribution(-5, 5), ["act"] = new CategoricalDistribution(new object?[] { "relu", "tanh" }) };
        static List<IReadOnlyDictionary<string, object?>> Run(ISampler sampler)
        {
            var study = Study.Create(sampler: sampler, seed: 2);
            study.Optimize(t => t.SuggestFloat("x", -5, 5) + (t.SuggestCategorical("act", new[] { "relu", "tanh" }) == "relu" ? 0 : 1), 3);
            return study.Trials.Select(t => t.Params).ToList();
        }
        Assert.Equal(Run(Tpe()), Run(SamplerRegistry.Create("auto", Seed, space)));
        Assert.NotEqual(Run(Tpe()), Run(SamplerRegistry.Create("auto", Seed)));
    }

    [Fact]
    public void When_trials_record_constraints_auto_proposes_what_tpe_proposes()
    {
        var tpe = Next(Tpe(), Constrained);
        Assert.Equal(tpe, Next(Auto(), Constrained));
        Assert.NotEqual(Next(Gp(), Constrained), tpe);
    }

    [Fact]
    public void With_a_conditional_parameter_auto_proposes_what_tpe_proposes()
    {
        var tpe = Next(Tpe(), Conditional);
        Assert.Equal(tpe, Next(Auto(), Conditional));
        Assert.NotEqual(Next(Gp(), Conditional), tpe);
    }

    [Fact]
    public void From_gp_trials_complete_trials_on_auto_proposes_what_tpe_proposes()
    {
        Assert.Equal(Next(Tpe(), Numeric), Next(Auto(gpTrials: History), Numeric));
        Assert.Equal(Next(Gp(), Numeric), Next(Auto(gpTrials: History + 1), Numeric));
        Assert.Equal(Next(Tpe(), Numeric), Next(SamplerRegistry.Create(ComponentConfig.FromYaml($"{{name: auto, gp_trials: {History}}}"), Seed), Numeric));
    }

    [Fact]
    public void The_registry_builds_auto_with_its_budget()
    {
        Assert.Equal(AutoSampler.DefaultGpTrials, Assert.IsType<AutoSampler>(SamplerRegistry.Create("auto", 1)).GpTrials);
        Assert.Equal(100, Assert.IsType<AutoSampler>(SamplerRegistry.Create(ComponentConfig.FromYaml("{name: auto, gp_trials: 100}"), 1)).GpTrials);
        Assert.False(SamplerRegistry.Create("auto", 1).TakesSeveralObjectives);
        var gp = Assert.IsType<AutoSampler>(SamplerRegistry.Create("auto", 1)).Gp;
        Assert.Equal((5, true, true, true), (gp.StartupTrials, gp.SobolStartup, gp.MeanIncumbent, gp.PeriodicRefit));
    }

    [Fact]
    public void A_negative_budget_names_the_key_and_the_value()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => SamplerRegistry.Create(ComponentConfig.FromYaml("{name: auto, gp_trials: -1}")));
        Assert.Contains("gp_trials must be at least 0, got -1", e.Message);
    }
}
