using Sparta.Tensors;
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

    /// <summary>Random inputs in [0, 1]^d, some repeated (as a bootstrap repeats rows) and rounded so inputs tie, and a bumpy objective.</summary>
    private static (double[][] X, double[] Y, int[] Rows) Sample(int n, int d, ulong seed)
    {
        var random = new RandomGenerator(seed);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray()).ToArray();
        var y = x.Select(p => Math.Sin(6 * p[0]) + p[1] * p[1] + (d > 2 ? 0.3 * p[0] * p[2] : 0) + 0.05 * random.NextDouble()).ToArray();
        var rows = Enumerable.Range(0, n).Select(_ => random.NextInt(n)).ToArray();
        return (x, y, rows);
    }

    [Fact]
    public void A_tree_grown_to_the_end_puts_every_sample_in_a_leaf_whose_box_holds_it_and_whose_value_is_its_mean()
    {
        var (x, y, rows) = Sample(400, 3, seed: 5);
        var tree = new RegressionTree(x, y, rows, maxDepth: 64);
        // The leaves tile the unit box.
        Assert.Equal(1.0, tree.Leaves.Sum(l => l.Low.Zip(l.High, (lo, hi) => hi - lo).Aggregate(1.0, (a, b) => a * b)), 1e-12);
        foreach (var leaf in tree.Leaves)
        {
            // A threshold sends a value equal to it to the left, so a box holds (Low, High] (and 0 on the left edge).
            bool Holds(double[] p) => p.Select((v, k) => (v > leaf.Low[k] || leaf.Low[k] == 0 && v == 0) && v <= leaf.High[k]).All(b => b);
            var inside = rows.Where(r => Holds(x[r])).ToArray();
            if (inside.Length == 0) continue;
            Assert.Equal(inside.Average(r => y[r]), leaf.Value, 1e-9);
        }
        // Every sample is in exactly one leaf, and samples sharing their inputs share a leaf.
        Assert.All(rows, r => Assert.Single(tree.Leaves, l => x[r].Select((v, k) => (v > l.Low[k] || l.Low[k] == 0 && v == 0) && v <= l.High[k]).All(b => b)));
    }

    [Fact]
    public void Main_effects_summed_in_one_sweep_equal_each_segment_summed_afresh()
    {
        foreach (var (n, d, seed) in new[] { (50, 2, 1UL), (300, 3, 2UL), (800, 4, 3UL) })
        {
            var (x, y, rows) = Sample(n, d, seed);
            var tree = new RegressionTree(x, y, rows, maxDepth: 64);
            var swept = FanovaImportance.MainEffectShares(tree, d)!;
            var direct = DirectMainEffectShares(tree, d);
            for (int i = 0; i < d; i++) Assert.Equal(direct[i], swept[i], 1e-10);
        }
    }

    /// <summary>fANOVA's main effects by their definition: for each segment between thresholds, the mean over the leaves that span its centre.</summary>
    private static double[] DirectMainEffectShares(RegressionTree tree, int d)
    {
        double Volume(RegressionTree.Leaf leaf) => leaf.Low.Zip(leaf.High, (lo, hi) => hi - lo).Aggregate(1.0, (a, b) => a * b);
        double mean = tree.Leaves.Sum(l => Volume(l) * l.Value);
        double variance = tree.Leaves.Sum(l => Volume(l) * (l.Value - mean) * (l.Value - mean));
        var shares = new double[d];
        for (int i = 0; i < d; i++)
        {
            var cuts = tree.Splits.Where(s => s.Feature == i).Select(s => s.Threshold).Append(0.0).Append(1.0).Distinct().Order().ToArray();
            for (int s = 0; s + 1 < cuts.Length; s++)
            {
                double centre = 0.5 * (cuts[s] + cuts[s + 1]);
                double marginal = tree.Leaves.Where(l => l.Low[i] <= centre && centre <= l.High[i]).Sum(l => l.Value * Volume(l) / (l.High[i] - l.Low[i]));
                shares[i] += (cuts[s + 1] - cuts[s]) * (marginal - mean) * (marginal - mean) / variance;
            }
        }
        return shares;
    }
}
