using Sparta.Tuning.Distributions;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Samplers;

public class GridSamplerTests
{
    [Fact]
    public void Visits_every_combination_once_then_starts_again()
    {
        var grid = new Dictionary<string, IReadOnlyList<object?>>
        {
            ["lr"] = new object?[] { 0.1, 0.01, 0.001 },
            ["act"] = new object?[] { "relu", "tanh" },
        };
        var study = Study.Create(sampler: new GridSampler(grid, seed: 4));
        study.Optimize(t => t.SuggestFloat("lr", 1e-4, 1, log: true) + (t.SuggestCategorical("act", new[] { "relu", "tanh" }) == "relu" ? 0 : 1), 8);
        var pairs = study.Trials.Select(t => ((double)t.Params["lr"]!, (string)t.Params["act"]!)).ToList();
        Assert.Equal(6, pairs.Take(6).Distinct().Count());
        Assert.Contains(pairs[6], pairs.Take(6));
        Assert.All(study.Trials.Take(6), t => Assert.True(t.SystemAttrs.ContainsKey(GridSampler.GridIdAttr)));
    }

    [Fact]
    public void A_grid_of_given_points_visits_each_once_and_names_a_parameter_a_point_lacks()
    {
        var points = new IReadOnlyDictionary<string, object?>[]
        {
            new Dictionary<string, object?> { ["opt"] = "sgd", ["momentum"] = 0.9 },
            new Dictionary<string, object?> { ["opt"] = "sgd", ["momentum"] = 0.5 },
            new Dictionary<string, object?> { ["opt"] = "adam" },
        };
        var study = Study.Create(sampler: new GridSampler(points, seed: 2));
        var categories = new[] { "sgd", "adam" };
        study.Optimize(t => t.SuggestCategorical("opt", categories) == "sgd" ? t.SuggestFloat("momentum", 0, 1) : 2, 3);
        var seen = study.Trials.Select(t => string.Join(",", t.Params.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))).Order().ToArray();
        Assert.Equal(new[] { "momentum=0.5,opt=sgd", "momentum=0.9,opt=sgd", "opt=adam" }, seen);

        // The objective asks for a parameter a point lacks: that trial fails with the reason, and the error stops the study.
        var wrong = Study.Create(sampler: new GridSampler(points, seed: 2));
        var error = Assert.Throws<ArgumentException>(() => wrong.Optimize(t => t.SuggestFloat("momentum", 0, 1), 3));
        Assert.Contains("has no value for 'momentum'", error.Message);
        Assert.Contains(wrong.Trials, t => t.State == TrialState.Fail
            && t.SystemAttrs[TrialSystemAttrs.FailReason].Contains("has no value for 'momentum'"));
    }

    [Fact]
    public void A_grid_over_a_space_spaces_points_evenly_and_geometrically_on_log_ranges()
    {
        var sampler = GridSampler.Over(new Dictionary<string, Distribution>
        {
            ["x"] = new FloatDistribution(0, 10),
            ["lr"] = new FloatDistribution(1e-4, 1, log: true),
        }, pointsPerDimension: 5);
        Assert.Equal(25, sampler.Size);
        var study = Study.Create(sampler: sampler);
        study.Optimize(t => t.SuggestFloat("x", 0, 10) + t.SuggestFloat("lr", 1e-4, 1, log: true), 25);
        var xs = study.Trials.Select(t => (double)t.Params["x"]!).Distinct().OrderBy(v => v).ToArray();
        var lrs = study.Trials.Select(t => (double)t.Params["lr"]!).Distinct().OrderBy(v => v).ToArray();
        Assert.Equal(new[] { 0, 2.5, 5, 7.5, 10 }, xs.Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1 }.Select(Math.Log10), lrs.Select(v => Math.Round(Math.Log10(v), 9)));
    }

    [Fact]
    public void A_parameter_outside_the_grid_is_named()
    {
        var study = Study.Create(sampler: new GridSampler(new Dictionary<string, IReadOnlyList<object?>> { ["x"] = new object?[] { 1.0 } }));
        var trial = study.Ask();
        Assert.Contains("'y'", Assert.Throws<ArgumentException>(() => trial.SuggestFloat("y", 0, 1)).Message);
    }
}
