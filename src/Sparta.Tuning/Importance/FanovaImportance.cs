using Sparta.Tensors;
using Sparta.Tuning.Samplers;

namespace Sparta.Tuning.Importance;

/// <summary>
/// Parameter importance as Optuna's default evaluator computes it: fit a random forest
/// (bootstrapped CART trees) from parameters (mapped to [0, 1], log ranges in log space) to
/// objective values, then for each tree split the variance of its piecewise-constant function
/// over the search box into main effects (fANOVA, Hutter et al. 2014): the importance of a
/// parameter is the share of variance its main effect explains, averaged over trees and
/// normalized to sum to one. Only parameters every complete trial has are rated.
/// </summary>
public static class FanovaImportance
{
    public static IReadOnlyList<(string Name, double Importance)> Evaluate(IReadOnlyList<FrozenTrial> trials, ulong seed = 0, int trees = 64, int maxDepth = 64)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is double v && double.IsFinite(v)).ToList();
        if (complete.Count < 2) throw new InvalidOperationException($"importance: needs at least 2 complete trials, got {complete.Count}");
        var space = SearchSpace.Intersection(complete);
        if (space.Count == 0) return Array.Empty<(string, double)>();
        var names = space.Keys.ToArray();
        var x = complete.Select(t => names.Select(n => UnitSpace.ToUnit(space[n], t.InternalParams[n])).ToArray()).ToArray();
        var y = complete.Select(t => t.Value!.Value).ToArray();

        var random = new RandomGenerator(seed).Fork("importance");
        // The bootstrap samples drawn in turn, the trees fitted in parallel and summed in their order: the same result for any thread count.
        var samples = Enumerable.Range(0, trees).Select(_ => Enumerable.Range(0, y.Length).Select(_ => random.NextInt(y.Length)).ToArray()).ToArray();
        var treeShares = new double[]?[trees];
        Parallel.For(0, trees, t => treeShares[t] = MainEffectShares(new RegressionTree(x, y, samples[t], maxDepth), names.Length));
        var sums = new double[names.Length];
        foreach (var shares in treeShares)
        {
            if (shares is null) continue;
            for (int i = 0; i < names.Length; i++) sums[i] += shares[i];
        }
        double total = sums.Sum();
        return names.Select((n, i) => (n, total > 0 ? sums[i] / total : 1.0 / names.Length))
            .OrderByDescending(p => p.Item2).ToList();
    }

    /// <summary>
    /// Each parameter's main-effect variance over the tree's total variance, integrating over
    /// the unit box; null for a constant tree.
    /// </summary>
    /// <remarks>
    /// The tree's thresholds on parameter i cut [0, 1] into segments; the mean of the tree's function
    /// over a segment (the other parameters integrated out) sums, over the leaves spanning the segment,
    /// value × volume / width on i. A leaf's bounds on i are thresholds on i (or 0, 1), so it spans a
    /// run of consecutive segments: its term is added where the run starts and taken off where it ends,
    /// and one sweep gives every segment's mean in O(leaves · log segments) rather than the
    /// O(leaves · segments) of summing each segment afresh (minutes on a study of 10,000 trials).
    /// </remarks>
    internal static double[]? MainEffectShares(RegressionTree tree, int d)
    {
        var leaves = tree.Leaves;
        var volumes = new double[leaves.Count];
        double mean = 0, meanSq = 0;
        for (int l = 0; l < leaves.Count; l++)
        {
            volumes[l] = Volume(leaves[l]);
            mean += volumes[l] * leaves[l].Value;
            meanSq += volumes[l] * leaves[l].Value * leaves[l].Value;
        }
        double variance = meanSq - mean * mean;
        if (!(variance > 1e-14 * (1 + meanSq))) return null;
        var shares = new double[d];
        for (int i = 0; i < d; i++)
        {
            var cuts = tree.Splits.Where(s => s.Feature == i).Select(s => s.Threshold).Append(0.0).Append(1.0).Distinct().Order().ToArray();
            // What changes in the segments' mean where a run of segments starts (+) or ends (-).
            var changes = new double[cuts.Length];
            for (int l = 0; l < leaves.Count; l++)
            {
                var leaf = leaves[l];
                double term = leaf.Value * volumes[l] / (leaf.High[i] - leaf.Low[i]);
                changes[Array.BinarySearch(cuts, leaf.Low[i])] += term;
                changes[Array.BinarySearch(cuts, leaf.High[i])] -= term;
            }
            // Summed with Neumaier's compensation: the terms added and taken off along the sweep do not leave their rounding behind.
            double marginal = 0, compensation = 0, effect = 0;
            for (int s = 0; s + 1 < cuts.Length; s++)
            {
                double sum = marginal + changes[s];
                compensation += Math.Abs(marginal) >= Math.Abs(changes[s]) ? marginal - sum + changes[s] : changes[s] - sum + marginal;
                marginal = sum;
                double deviation = marginal + compensation - mean;
                effect += (cuts[s + 1] - cuts[s]) * deviation * deviation;
            }
            shares[i] = effect / variance;
        }
        return shares;
    }

    private static double Volume(RegressionTree.Leaf leaf)
    {
        double v = 1;
        for (int k = 0; k < leaf.Low.Length; k++) v *= leaf.High[k] - leaf.Low[k];
        return v;
    }
}
