using System.Numerics;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// numpy's default <c>argsort</c> (kind "quicksort": an introsort, median of three, insertion
/// sort below 17 elements, heapsort past the depth limit), step for step. It is not stable, and
/// TPE's bandwidths depend on the order it gives equal centres: a tie's left member takes the gap
/// to its left neighbour, its right member the gap to its right one. Optuna's estimator sorts
/// with it, so Sparta's does too, to give each observation the width Optuna gives it.
/// </summary>
internal static class NumpyArgsort
{
    // Partitions of 16 elements or fewer are insertion-sorted (measured against numpy 1.24: pr - pl > 15 partitions).
    private const int SmallQuicksort = 15;

    /// <summary>The indices that sort <paramref name="values"/> (no NaN), as <c>numpy.argsort(values)</c> returns them.</summary>
    public static int[] Argsort(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (n < 2) return order;
        var stack = new Stack<(int Left, int Right, int Depth)>();
        int pl = 0, pr = n - 1, depth = 2 * BitOperations.Log2((uint)n);
        while (true)
        {
            if (depth < 0) Heapsort(values, order, pl, pr - pl + 1);
            else
            {
                while (pr - pl > SmallQuicksort)
                {
                    int pm = pl + ((pr - pl) >> 1);
                    if (values[order[pm]] < values[order[pl]]) Swap(order, pm, pl);
                    if (values[order[pr]] < values[order[pm]]) Swap(order, pr, pm);
                    if (values[order[pm]] < values[order[pl]]) Swap(order, pm, pl);
                    double pivot = values[order[pm]];
                    int pi = pl, pj = pr - 1;
                    Swap(order, pm, pj);
                    while (true)
                    {
                        do pi++; while (values[order[pi]] < pivot);
                        do pj--; while (pivot < values[order[pj]]);
                        if (pi >= pj) break;
                        Swap(order, pi, pj);
                    }
                    Swap(order, pi, pr - 1);
                    // The larger partition waits on the stack; the loop goes on with the smaller.
                    depth--;
                    if (pi - pl < pr - pi)
                    {
                        stack.Push((pi + 1, pr, depth));
                        pr = pi - 1;
                    }
                    else
                    {
                        stack.Push((pl, pi - 1, depth));
                        pl = pi + 1;
                    }
                }
                for (int pi = pl + 1; pi <= pr; pi++)
                {
                    int vi = order[pi];
                    double v = values[vi];
                    int pj = pi;
                    while (pj > pl && v < values[order[pj - 1]])
                    {
                        order[pj] = order[pj - 1];
                        pj--;
                    }
                    order[pj] = vi;
                }
            }
            if (stack.Count == 0) return order;
            (pl, pr, depth) = stack.Pop();
        }
    }

    /// <summary>numpy's aheapsort on order[start .. start + n), with its one-based heap indexing.</summary>
    private static void Heapsort(IReadOnlyList<double> values, int[] order, int start, int n)
    {
        int At(int i) => order[start + i - 1];
        void Set(int i, int v) => order[start + i - 1] = v;
        for (int l = n >> 1; l > 0; l--) SiftDown(l, n, At(l));
        for (; n > 1;)
        {
            int tmp = At(n);
            Set(n, At(1));
            n--;
            SiftDown(1, n, tmp);
        }

        void SiftDown(int i, int size, int tmp)
        {
            for (int j = i << 1; j <= size;)
            {
                if (j < size && values[At(j)] < values[At(j + 1)]) j++;
                if (!(values[tmp] < values[At(j)])) break;
                Set(i, At(j));
                i = j;
                j += j;
            }
            Set(i, tmp);
        }
    }

    private static void Swap(int[] order, int a, int b) => (order[a], order[b]) = (order[b], order[a]);
}
