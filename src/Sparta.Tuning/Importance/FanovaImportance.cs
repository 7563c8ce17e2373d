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
        var sums = new double[names.Length];
        for (int t = 0; t < trees; t++)
        {
            var rows = Enumerable.Range(0, y.Length).Select(_ => random.NextInt(y.Length)).ToArray();
            var tree = new RegressionTree(x, y, rows, maxDepth);
            var shares = MainEffectShares(tree, names.Length);
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
    internal static double[]? MainEffectShares(RegressionTree tree, int d)
    {
        double mean = 0, meanSq = 0;
        foreach (var leaf in tree.Leaves)
        {
            double volume = Volume(leaf);
            mean += volume * leaf.Value;
            meanSq += volume * leaf.Value * leaf.Value;
        }
        double variance = meanSq - mean * mean;
        if (!(variance > 1e-14 * (1 + meanSq))) return null;
        var shares = new double[d];
        for (int i = 0; i < d; i++)
        {
            // Segments of dimension i bounded by the tree's thresholds on i.
            var cuts = tree.Splits.Where(s => s.Feature == i).Select(s => s.Threshold).Append(0.0).Append(1.0).Distinct().OrderBy(c => c).ToArray();
            double effect = 0;
            for (int s = 0; s + 1 < cuts.Length; s++)
            {
                double lo = cuts[s], hi = cuts[s + 1], centre = 0.5 * (lo + hi);
                // E[f | x_i in segment] = sum over leaves spanning it of value x volume of the other dimensions.
                double marginal = 0;
                foreach (var leaf in tree.Leaves)
                    if (leaf.Low[i] <= centre && centre <= leaf.High[i])
                        marginal += leaf.Value * Volume(leaf) / (leaf.High[i] - leaf.Low[i]);
                effect += (hi - lo) * (marginal - mean) * (marginal - mean);
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
