using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix in double: Householder reduction to tridiagonal
/// form, then the implicit QL algorithm (tred2 and tql2 of EISPACK, as in JAMA). Eigenvalues come
/// sorted descending; <c>Vectors</c> is row-major n×n with eigenvector j in column j.
/// </summary>
public sealed class SymmetricEigen
{
    private SymmetricEigen(double[] values, double[] vectors)
    {
        Values = values;
        Vectors = vectors;
    }

    public double[] Values { get; }

    public double[] Vectors { get; }

    public static SymmetricEigen Decompose(ReadOnlySpan<double> matrix, int n)
    {
        // v holds the transpose of EISPACK's V (v[j * n + k] is its V[k, j]): every O(n³) loop then runs
        // along a row, contiguous in memory, instead of down a column.
        if (matrix.Length != n * n) throw new ArgumentException($"eigen: a {n}x{n} matrix needs {n * n} values, got {matrix.Length}");
        var v = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) v[j * n + i] = matrix[i * n + j];
        var d = new double[n];
        var e = new double[n];
        if (n > 0)
        {
            Tridiagonalize(v, d, e, n);
            DiagonalizeTridiagonal(v, d, e, n);
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => d[i]).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            values[j] = d[order[j]];
            for (int i = 0; i < n; i++) vectors[i * n + j] = v[order[j] * n + i];
        }
        return new SymmetricEigen(values, vectors);
    }

    /// <summary>Householder reduction: v becomes the orthogonal transform, d the diagonal, e the subdiagonal.</summary>
    private static void Tridiagonalize(double[] v, double[] d, double[] e, int n)
    {
        for (int j = 0; j < n; j++) d[j] = v[j * n + n - 1];
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[j * n + i - 1];
                    v[j * n + i] = 0;
                    v[i * n + j] = 0;
                }
            }
            else
            {
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[i * n + j] = f;
                    g = e[j] + v[j * n + j] * f;
                    if (i - 1 > j)
                    {
                        var row = v.AsSpan(j * n + j + 1, i - 1 - j);
                        g += TensorPrimitives.Dot<double>(row, d.AsSpan(j + 1, i - 1 - j));
                        var ek = e.AsSpan(j + 1, i - 1 - j);
                        TensorPrimitives.MultiplyAdd(row, f, ek, ek);
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    var update = v.AsSpan(j * n + j, i - j);
                    TensorPrimitives.MultiplyAdd(e.AsSpan(j, i - j), -f, update, update);
                    TensorPrimitives.MultiplyAdd(d.AsSpan(j, i - j), -g, update, update);
                    d[j] = v[j * n + i - 1];
                    v[j * n + i] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++)
        {
            v[i * n + n - 1] = v[i * n + i];
            v[i * n + i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++) d[k] = v[(i + 1) * n + k] / h;
                for (int j = 0; j <= i; j++)
                {
                    var row = v.AsSpan(j * n, i + 1);
                    double g = TensorPrimitives.Dot<double>(v.AsSpan((i + 1) * n, i + 1), row);
                    TensorPrimitives.MultiplyAdd(d.AsSpan(0, i + 1), -g, row, row);
                }
            }
            for (int k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = v[j * n + n - 1];
            v[j * n + n - 1] = 0;
        }
        v[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>Implicit QL with shifts on the tridiagonal (d, e), accumulating rotations into v.</summary>
    private static void DiagonalizeTridiagonal(double[] v, double[] d, double[] e, int n)
    {
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        double eps = Math.Pow(2, -52);
        for (int l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n && Math.Abs(e[m]) > eps * tst1) m++;
            if (m > l)
            {
                int iterations = 0;
                do
                {
                    if (++iterations > 100 * n) throw new InvalidOperationException("eigen: the QL iteration did not converge (matrix not finite?)");
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = c, c3 = c;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        Rotate(v.AsSpan(i * n, n), v.AsSpan((i + 1) * n, n), c, s);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /// <summary>The plane rotation (x, y) ← (c·x - s·y, s·x + c·y), in one pass over both rows.</summary>
    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        int k = 0;
        if (VectorWidth.Uses512)
        {
            var vc = Vector512.Create(c);
            var vs = Vector512.Create(s);
            for (; k <= x.Length - 8; k += 8)
            {
                var xk = Vector512.Create<double>(x.Slice(k, 8));
                var yk = Vector512.Create<double>(y.Slice(k, 8));
                (vc * xk - vs * yk).CopyTo(x.Slice(k, 8));
                (vs * xk + vc * yk).CopyTo(y.Slice(k, 8));
            }
        }
        for (; k < x.Length; k++)
        {
            double xk = x[k], yk = y[k];
            x[k] = c * xk - s * yk;
            y[k] = s * xk + c * yk;
        }
    }

    /// <summary>sqrt(a² + b²) without overflow or underflow in the squares.</summary>
    private static double Hypot(double a, double b)
    {
        double big = Math.Max(Math.Abs(a), Math.Abs(b)), small = Math.Min(Math.Abs(a), Math.Abs(b));
        if (big == 0) return 0;
        double ratio = small / big;
        return big * Math.Sqrt(1 + ratio * ratio);
    }
}
