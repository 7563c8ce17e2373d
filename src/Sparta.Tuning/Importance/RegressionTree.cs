namespace Sparta.Tuning.Importance;

/// <summary>
/// A regression tree on inputs in [0, 1]^d, grown to pure or single-sample leaves by the
/// split that most reduces squared error (CART, as scikit-learn's regressor with its
/// defaults). Each leaf keeps its box, which is what the fANOVA decomposition integrates over.
/// </summary>
/// <remarks>
/// The samples are sorted by each input once, at the root; a split then divides every input's
/// order between the two sides keeping it, so no node sorts again (a node's best split is one scan
/// per input), which keeps a forest over 10,000 trials to seconds.
/// </remarks>
internal sealed class RegressionTree
{
    /// <summary>A leaf: its box [Low, High] per dimension and its mean value.</summary>
    public sealed record Leaf(double[] Low, double[] High, double Value);

    private readonly List<Leaf> _leaves = new();
    private readonly List<(int Feature, double Threshold)> _splits = new();
    private readonly double[][] _x;
    private readonly double[] _y;
    /// <summary>Per input, the samples (rows, repeated as the bootstrap drew them) in ascending order of that input; a node owns a range of each.</summary>
    private readonly int[][] _sorted;
    private readonly int[] _scratch;

    public IReadOnlyList<Leaf> Leaves => _leaves;
    /// <summary>Every split (feature, threshold) of the tree.</summary>
    public IReadOnlyList<(int Feature, double Threshold)> Splits => _splits;

    public RegressionTree(double[][] x, double[] y, int[] rows, int maxDepth)
    {
        (_x, _y) = (x, y);
        int d = x[0].Length, n = rows.Length;
        _sorted = new int[d][];
        var keys = new double[n];
        for (int f = 0; f < d; f++)
        {
            _sorted[f] = (int[])rows.Clone();
            for (int i = 0; i < n; i++) keys[i] = x[rows[i]][f];
            Array.Sort(keys, _sorted[f]);
        }
        _scratch = new int[n];
        Grow(0, n, new double[d], Enumerable.Repeat(1.0, d).ToArray(), maxDepth);
    }

    /// <summary>Grows the node holding the samples at [start, end) of every input's order.</summary>
    private void Grow(int start, int end, double[] low, double[] high, int depth)
    {
        double sum = 0;
        for (int i = start; i < end; i++) sum += _y[_sorted[0][i]];
        double mean = sum / (end - start);
        var split = depth > 0 && end - start >= 2 ? BestSplit(start, end) : null;
        if (split is not (int feature, double threshold))
        {
            _leaves.Add(new Leaf(low, high, mean));
            return;
        }
        _splits.Add((feature, threshold));
        int middle = Partition(start, end, feature, threshold);
        var leftHigh = (double[])high.Clone(); leftHigh[feature] = threshold;
        var rightLow = (double[])low.Clone(); rightLow[feature] = threshold;
        Grow(start, middle, low, leftHigh, depth - 1);
        Grow(middle, end, rightLow, high, depth - 1);
    }

    /// <summary>The (feature, midpoint threshold) with the least summed squared error of the two sides, or null if no split reduces it.</summary>
    private (int, double)? BestSplit(int start, int end)
    {
        int n = end - start;
        double total = 0, totalSq = 0;
        for (int i = start; i < end; i++)
        {
            double v = _y[_sorted[0][i]];
            total += v; totalSq += v * v;
        }
        double bestError = totalSq - total * total / n - 1e-12;
        (int, double)? best = null;
        for (int f = 0; f < _sorted.Length; f++)
        {
            var order = _sorted[f];
            double leftSum = 0, leftSq = 0;
            for (int i = start; i < end - 1; i++)
            {
                double v = _y[order[i]];
                leftSum += v; leftSq += v * v;
                double here = _x[order[i]][f], next = _x[order[i + 1]][f];
                if (here == next) continue;
                int nl = i + 1 - start, nr = n - nl;
                double rightSum = total - leftSum, rightSq = totalSq - leftSq;
                double error = leftSq - leftSum * leftSum / nl + rightSq - rightSum * rightSum / nr;
                if (error < bestError) { bestError = error; best = (f, 0.5 * (here + next)); }
            }
        }
        return best;
    }

    /// <summary>
    /// Puts the node's samples with input <paramref name="feature"/> at most <paramref name="threshold"/>
    /// first in every input's order, each side keeping its order; returns where the right side starts.
    /// </summary>
    private int Partition(int start, int end, int feature, double threshold)
    {
        int middle = start;
        foreach (var order in _sorted)
        {
            int left = start, right = 0;
            for (int i = start; i < end; i++)
            {
                int row = order[i];
                if (_x[row][feature] <= threshold) order[left++] = row;
                else _scratch[right++] = row;
            }
            Array.Copy(_scratch, 0, order, left, right);
            middle = left;
        }
        return middle;
    }
}
