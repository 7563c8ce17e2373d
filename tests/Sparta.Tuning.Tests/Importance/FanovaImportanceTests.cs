using Sparta.Tuning.Importance;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Tests.Importance;

public class FanovaImportanceTests
{
    [Fact]
    public void A_parameter_the_objective_ignores_has_almost_no_importance()
    {
        var study = Study.Create(sampler: new RandomSampler(4));
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", -3, 3);
            t.SuggestFloat("noise", 0, 1);
            double lr = t.SuggestFloat("lr", 1e-4, 1, log: true);
            return x * x + 0.1 * Math.Abs(Math.Log10(lr) + 2);
        }, 120);
        var importance = FanovaImportance.Evaluate(study.Trials, seed: 1).ToDictionary(p => p.Name, p => p.Importance);
        Assert.Equal(1.0, importance.Values.Sum(), 1e-9);
        Assert.True(importance["x"] > 0.8, $"x: {importance["x"]}");
        Assert.True(importance["noise"] < 0.05, $"noise: {importance["noise"]}");
        Assert.True(importance["lr"] > importance["noise"], $"lr {importance["lr"]} vs noise {importance["noise"]}");
    }

    [Fact]
    public void An_additive_tree_splits_its_variance_exactly_into_main_effects()
    {
        // Four points on a 2x2 design with f = a(x) + b(y): a depth-2 tree reproduces f exactly,
        // and for an additive function the main effects hold all of the variance.
        double[][] x = { new[] { 0.25, 0.25 }, new[] { 0.25, 0.75 }, new[] { 0.75, 0.25 }, new[] { 0.75, 0.75 } };
        double[] y = { 0 + 0, 0 + 1, 3 + 0, 3 + 1 };
        var tree = new RegressionTree(x, y, new[] { 0, 1, 2, 3 }, maxDepth: 2);
        var shares = FanovaImportance.MainEffectShares(tree, 2)!;
        // Var(a) = 2.25, Var(b) = 0.25 over the uniform box.
        Assert.Equal(2.25 / 2.5, shares[0], 1e-12);
        Assert.Equal(0.25 / 2.5, shares[1], 1e-12);
    }
}
