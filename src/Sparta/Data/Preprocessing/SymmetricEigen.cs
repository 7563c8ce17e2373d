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
        if (matrix.Length != n * n) throw new ArgumentException($"eigen: a {n}x{n} matrix needs {n * n} values, got {matrix.Length}");
        var v = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) v[i, j] = matrix[i * n + j];
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
            for (int i = 0; i < n; i++) vectors[i * n + j] = v[i, order[j]];
        }
        return new SymmetricEigen(values, vectors);
    }

    /// <summary>Householder reduction: v becomes the orthogonal transform, d the diagonal, e the subdiagonal.</summary>
    private static void Tridiagonalize(double[,] v, double[] d, double[] e, int n)
    {
        for (int j = 0; j < n; j++) d[j] = v[n - 1, j];
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[i - 1, j];
                    v[i, j] = 0;
                    v[j, i] = 0;
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
                    v[j, i] = f;
                    g = e[j] + v[j, j] * f;
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        g += v[k, j] * d[k];
                        e[k] += v[k, j] * f;
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
                    for (int k = j; k <= i - 1; k++) v[k, j] -= f * e[k] + g * d[k];
                    d[j] = v[i - 1, j];
                    v[i, j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++)
        {
            v[n - 1, i] = v[i, i];
            v[i, i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++) d[k] = v[k, i + 1] / h;
                for (int j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[k, i + 1] * v[k, j];
                    for (int k = 0; k <= i; k++) v[k, j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[k, i + 1] = 0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = v[n - 1, j];
            v[n - 1, j] = 0;
        }
        v[n - 1, n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>Implicit QL with shifts on the tridiagonal (d, e), accumulating rotations into v.</summary>
    private static void DiagonalizeTridiagonal(double[,] v, double[] d, double[] e, int n)
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
                        for (int k = 0; k < n; k++)
                        {
                            h = v[k, i + 1];
                            v[k, i + 1] = s * v[k, i] + c * h;
                            v[k, i] = c * v[k, i] - s * h;
                        }
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

    private static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b) is var r && double.IsFinite(r) ? r : Math.Abs(a) * Math.Sqrt(1 + (b / a) * (b / a));
}
