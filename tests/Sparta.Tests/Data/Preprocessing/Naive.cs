using Sparta.Tensors;

namespace Sparta.Tests.Data.Preprocessing;

/// <summary>Plain double loops the preprocessing steps are checked against.</summary>
internal static class Naive
{
    public static Tensor Random(RandomGenerator random, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        random.FillNormal(t.Span, 3, 2);
        return t;
    }

    /// <summary>Correlated (n, d) data: normal noise through a random mixing matrix, plus an offset.</summary>
    public static Tensor Correlated(RandomGenerator random, int n, int d)
    {
        var noise = new double[n * d];
        for (int i = 0; i < noise.Length; i++) noise[i] = random.Normal() * (1 + i % d);
        var mix = new double[d * d];
        for (int i = 0; i < mix.Length; i++) mix[i] = random.Normal();
        var x = Tensor.Zeros(n, d);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++)
            {
                double sum = 5 - j;
                for (int k = 0; k < d; k++) sum += noise[r * d + k] * mix[k * d + j];
                x.Span[r * d + j] = (float)sum;
            }
        return x;
    }

    public static double[] ColumnMeans(Tensor x)
    {
        int n = x.Shape[0], d = x.Shape.SizeFrom(1);
        var mean = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) mean[j] += x.Span[r * d + j];
        return mean.Select(m => m / n).ToArray();
    }

    public static double[] ColumnStds(Tensor x)
    {
        int n = x.Shape[0], d = x.Shape.SizeFrom(1);
        var mean = ColumnMeans(x);
        var sq = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) sq[j] += Math.Pow(x.Span[r * d + j] - mean[j], 2);
        return sq.Select(s => Math.Sqrt(s / n)).ToArray();
    }

    /// <summary>Sample covariance (n - 1) of (n, d) data, d×d.</summary>
    public static double[,] Covariance(Tensor x)
    {
        int n = x.Shape[0], d = x.Shape.SizeFrom(1);
        var mean = ColumnMeans(x);
        var c = new double[d, d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    c[i, j] += (x.Span[r * d + i] - mean[i]) * (x.Span[r * d + j] - mean[j]) / (n - 1);
        return c;
    }

    /// <summary>Cyclic Jacobi eigenvalue iteration: eigenvalues (descending) of a symmetric matrix, an oracle independent of the solver under test.</summary>
    public static double[] JacobiEigenvalues(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-22) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                }
        }
        return Enumerable.Range(0, n).Select(i => a[i, i]).OrderDescending().ToArray();
    }
}
