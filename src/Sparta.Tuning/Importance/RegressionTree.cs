using Sparta.Tensors;

namespace Sparta.Tuning.Importance;

/// <summary>
/// A regression tree on inputs in [0, 1]^d, grown to pure or single-sample leaves by the
/// split that most reduces squared error (CART, as scikit-learn's regressor with its
/// defaults). Each leaf keeps its box, which is what the fANOVA decomposition integrates over.
/// </summary>
internal sealed class RegressionTree
{
    /// <summary>A leaf: its box [Low, High] per dimension and its mean value.</summary>
    public sealed record Leaf(double[] Low, double[] High, double Value);

    private readonly List<Leaf> _leaves = new();
    private readonly List<(int Feature, double Threshold)> _splits = new();

    public IReadOnlyList<Leaf> Leaves => _leaves;
    /// <summary>Every split (feature, threshold) of the tree.</summary>
    public IReadOnlyList<(int Feature, double Threshold)> Splits => _splits;

    public RegressionTree(double[][] x, double[] y, int[] rows, int maxDepth)
    {
        int d = x[0].Length;
        Grow(x, y, rows, new double[d], Enumerable.Repeat(1.0, d).ToArray(), maxDepth);
    }

    private void Grow(double[][] x, double[] y, int[] rows, double[] low, double[] high, int depth)
    {
        double mean = rows.Average(r => y[r]);
        var split = depth > 0 && rows.Length >= 2 ? BestSplit(x, y, rows) : null;
        if (split is not (int feature, double threshold))
        {
            _leaves.Add(new Leaf(low, high, mean));
            return;
        }
        _splits.Add((feature, threshold));
        var left = rows.Where(r => x[r][feature] <= threshold).ToArray();
        var right = rows.Where(r => x[r][feature] > threshold).ToArray();
        var leftHigh = (double[])high.Clone(); leftHigh[feature] = threshold;
        var rightLow = (double[])low.Clone(); rightLow[feature] = threshold;
        Grow(x, y, left, low, leftHigh, depth - 1);
        Grow(x, y, right, rightLow, high, depth - 1);
    }

    /// <summary>The (feature, midpoint threshold) with the least summed squared error of the two sides, or null if no split reduces it.</summary>
    private static (int, double)? BestSplit(double[][] x, double[] y, int[] rows)
    {
        int n = rows.Length, d = x[0].Length;
        double total = rows.Sum(r => y[r]), totalSq = rows.Sum(r => y[r] * y[r]);
        double bestError = totalSq - total * total / n - 1e-12;
        (int, double)? best = null;
        var order = new int[n];
        for (int f = 0; f < d; f++)
        {
            Array.Copy(rows, order, n);
            Array.Sort(order, (a, b) => x[a][f].CompareTo(x[b][f]));
            double leftSum = 0, leftSq = 0;
            for (int i = 0; i < n - 1; i++)
            {
                double v = y[order[i]];
                leftSum += v; leftSq += v * v;
                double here = x[order[i]][f], next = x[order[i + 1]][f];
                if (here == next) continue;
                int nl = i + 1, nr = n - nl;
                double rightSum = total - leftSum, rightSq = totalSq - leftSq;
                double error = leftSq - leftSum * leftSum / nl + rightSq - rightSum * rightSum / nr;
                if (error < bestError) { bestError = error; best = (f, 0.5 * (here + next)); }
            }
        }
        return best;
    }
}
