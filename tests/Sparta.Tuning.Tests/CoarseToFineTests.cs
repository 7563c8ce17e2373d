using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests;

public class CoarseToFineTests
{
    private static readonly Dictionary<string, Distribution> Space = new()
    {
        ["lr"] = new FloatDistribution(1e-3, 10, log: true),
        ["units"] = new IntDistribution(8, 512, step: 8),
        ["act"] = new CategoricalDistribution(new object?[] { "relu", "tanh", "sigmoid" }),
    };

    private static FrozenTrial Trial(double value, double lr, long units, int act) => new()
    {
        State = TrialState.Complete,
        Values = new[] { value },
        InternalParams = new Dictionary<string, double> { ["lr"] = lr, ["units"] = units, ["act"] = act },
        Distributions = Space,
    };

    [Fact]
    public void Ranges_narrow_around_the_top_trials()
    {
        var trials = new List<FrozenTrial>
        {
            Trial(0.10, 0.02, 128, 0), Trial(0.12, 0.05, 256, 0), Trial(0.15, 0.01, 64, 1),
            Trial(0.90, 5.0, 512, 2), Trial(0.80, 0.002, 8, 2), Trial(0.70, 1.0, 16, 1),
            Trial(0.95, 3.0, 400, 2), Trial(0.85, 0.3, 24, 1), Trial(0.75, 2.0, 480, 2), Trial(0.99, 8.0, 504, 2),
        };
        var (next, notes) = CoarseToFine.Narrow(Space, trials, StudyDirection.Minimize, new NarrowingRules());
        Assert.Empty(notes);
        var lr = (FloatDistribution)next["lr"];
        Assert.True(lr.Log);
        // Top 3 lr values span [0.01, 0.05]; in log space the margin is 25% of that span (or 5% of the old one).
        double logSpan = Math.Log(0.05) - Math.Log(0.01);
        double margin = Math.Max(0.25 * logSpan, 0.05 * (Math.Log(10) - Math.Log(1e-3)));
        Assert.Equal(Math.Exp(Math.Log(0.01) - margin), lr.Low, 1e-12);
        Assert.Equal(Math.Exp(Math.Log(0.05) + margin), lr.High, 1e-12);
        var units = (IntDistribution)next["units"];
        Assert.Equal(8, units.Step);
        Assert.True(units.Low <= 64 && units.High >= 256 && units.High - units.Low < 504, $"units [{units.Low}, {units.High}]");
        Assert.Equal(0, (units.Low - 8) % 8);
        Assert.Equal(new object?[] { "relu", "tanh" }, ((CategoricalDistribution)next["act"]).Choices);
    }

    [Fact]
    public void A_best_value_on_the_edge_extends_the_range_past_it_and_says_so()
    {
        var trials = new List<FrozenTrial> { Trial(0.1, 9.8, 504, 0), Trial(0.2, 4.0, 256, 0), Trial(0.3, 1.0, 128, 0), Trial(0.9, 0.01, 8, 1) };
        var (next, notes) = CoarseToFine.Narrow(Space, trials, StudyDirection.Minimize, new NarrowingRules());
        var lr = (FloatDistribution)next["lr"];
        // Half the old log span above the old upper bound: 10 * sqrt(10^4) = 1000.
        Assert.Equal(1000, lr.High, 1e-9);
        Assert.Contains(notes, n => n.StartsWith("lr:") && n.Contains("upper edge") && n.Contains("extended"));
        Assert.Contains(notes, n => n.StartsWith("units:") && n.Contains("upper edge"));
        Assert.True(((IntDistribution)next["units"]).High > 512);
    }

    [Fact]
    public void Hard_limits_are_never_crossed()
    {
        var space = new Dictionary<string, Distribution> { ["dropout"] = new FloatDistribution(0, 1) };
        var best = new FrozenTrial
        {
            State = TrialState.Complete, Values = new[] { 0.1 },
            InternalParams = new Dictionary<string, double> { ["dropout"] = 0.99 }, Distributions = space,
        };
        var rules = new NarrowingRules { Limits = new Dictionary<string, (double, double)> { ["dropout"] = (0, 1) } };
        var (next, _) = CoarseToFine.Narrow(space, new[] { best }, StudyDirection.Minimize, rules);
        Assert.Equal(1.0, ((FloatDistribution)next["dropout"]).High);
    }

    [Fact]
    public void Stages_pass_their_budget_and_follow_an_optimum_outside_the_first_range()
    {
        // The minimum is at lr = 1e-4, below the first range [1e-3, 10].
        var space = new Dictionary<string, Distribution> { ["lr"] = new FloatDistribution(1e-3, 10, log: true) };
        var search = new CoarseToFine(space, new[] { new SearchStage(20, 1), new SearchStage(15, 3) },
            (seed, _, _) => new TpeSampler(seed, startupTrials: 5));
        var budgets = new List<int>();
        var log = new StringWriter();
        var studies = search.Run((trial, p, budget) =>
        {
            budgets.Add(budget);
            double x = Math.Log10((double)p["lr"]!) + 4;
            return x * x;
        }, seed: 3, log: log);
        Assert.Equal(Enumerable.Repeat(1, 20).Concat(Enumerable.Repeat(3, 15)), budgets);
        Assert.Contains("lower edge", log.ToString());
        Assert.Contains("stage 2/2", log.ToString());
        Assert.True((double)studies[1].BestParams["lr"]! < 1e-3, $"stage 2 best lr {studies[1].BestParams["lr"]}");
        Assert.True(studies[1].BestValue < studies[0].BestValue);
    }
}
