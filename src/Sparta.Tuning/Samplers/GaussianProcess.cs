using System.Runtime.CompilerServices;

namespace Sparta.Tuning.Samplers;

/// <summary>
/// Gaussian-process regression with a Matern 5/2 kernel with one length scale per dimension
/// (ARD), a signal variance and a noise variance, on inputs in [0, 1]^d and standardized
/// outputs. Hyperparameters are the log length scales, log signal variance and log noise
/// variance; <see cref="LogEvidence"/> gives the log marginal likelihood (plus a weak
/// log-normal prior on length scales that keeps them off the degenerate extremes) and its
/// gradient, which <see cref="Fit"/> maximizes.
/// </summary>
internal sealed class GaussianProcess
{
    private static readonly double Sqrt5 = Math.Sqrt(5);
    /// <summary>Bounds of the hyperparameters, in log space: length scales, signal variance, noise variance.</summary>
    internal static readonly (double Low, double High) LogLengthBounds = (Math.Log(0.01), Math.Log(20));
    internal static readonly (double Low, double High) LogSignalBounds = (Math.Log(0.05), Math.Log(20));
    internal static readonly (double Low, double High) LogNoiseBounds = (Math.Log(1e-6), Math.Log(0.5));
    private const double LengthPriorStd = 1.5;

    private readonly double[][] _x;
    private readonly double[] _y;
    private readonly int _n, _d;
    private double[] _theta = Array.Empty<double>();
    private double[] _cholesky = Array.Empty<double>(); // n x n, lower triangle
    private double[] _alpha = Array.Empty<double>();
    // n x n work buffers reused by every evidence evaluation: at a few hundred trials they are
    // large-object-heap sized, and reallocating them per evaluation would churn full collections.
    private readonly double[] _k0, _r, _work, _inverseRows, _inverse;

    public GaussianProcess(double[][] x, double[] y)
    {
        _x = x;
        _y = y;
        _n = y.Length;
        _d = x.Length == 0 ? 0 : x[0].Length;
        _k0 = new double[_n * _n];
        _r = new double[_n * _n];
        _work = new double[_n * _n];
        _inverseRows = new double[_n * _n];
        _inverse = new double[_n * _n];
    }

    public int ParameterCount => _d + 2;
    public double[] Theta => _theta;

    /// <summary>Matern 5/2 at scaled distance r, and its derivative factor for log length scales.</summary>
    private static double Matern(double r) => (1 + Sqrt5 * r + 5.0 / 3.0 * r * r) * Math.Exp(-Sqrt5 * r);

    private double ScaledDistanceSquared(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> inverseLengthSquared)
    {
        double s = 0;
        for (int k = 0; k < _d; k++)
        {
            double diff = a[k] - b[k];
            s += diff * diff * inverseLengthSquared[k];
        }
        return s;
    }

    /// <summary>
    /// Log marginal likelihood log p(y | X, theta) plus the length-scale prior, and its gradient
    /// (0.5 tr((alpha alpha^T - K^-1) dK/dtheta) for each hyperparameter). Null when K is not
    /// positive definite at these hyperparameters.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Value, double[] Gradient)? LogEvidence(double[] theta)
    {
        var inverseLengthSquared = new double[_d];
        for (int k = 0; k < _d; k++) inverseLengthSquared[k] = Math.Exp(-2 * theta[k]);
        double signal = Math.Exp(theta[_d]), noise = Math.Exp(theta[_d + 1]);
        int n = _n;
        var k0 = _k0;   // kernel without signal variance, kept for gradients
        var r = _r;
        var matrix = _work;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double dist = Math.Sqrt(ScaledDistanceSquared(_x[i], _x[j], inverseLengthSquared));
                double m = Matern(dist);
                k0[i * n + j] = k0[j * n + i] = m;
                r[i * n + j] = r[j * n + i] = dist;
                matrix[i * n + j] = matrix[j * n + i] = signal * m;
            }
            matrix[i * n + i] += noise + 1e-8;
        }
        if (!CholeskyInPlace(matrix, n)) return null;
        var alpha = SolveCholesky(matrix, n, _y);
        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += Math.Log(matrix[i * n + i]);
        double value = -0.5 * DotKernel.Dot(_y, alpha) - logDet - 0.5 * n * Math.Log(2 * Math.PI);

        var inverse = InverseFromCholesky(matrix, n, _inverseRows, _inverse);
        // W = alpha alpha^T - K^-1; dL/dtheta = 0.5 sum_ij W_ij dK_ij.
        var gradient = new double[_d + 2];
        double gSignal = 0, gNoise = 0;
        var perDimension = new double[_d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double w = alpha[i] * alpha[j] - inverse[i * n + j];
                double kij = k0[i * n + j];
                gSignal += w * signal * kij;
                if (i == j) { gNoise += w * noise; continue; }
                // d k / d log l_k = signal * 5/3 (1 + sqrt5 r) exp(-sqrt5 r) * diff_k^2 / l_k^2
                double common = w * signal * 5.0 / 3.0 * (1 + Sqrt5 * r[i * n + j]) * Math.Exp(-Sqrt5 * r[i * n + j]);
                for (int k = 0; k < _d; k++)
                {
                    double diff = _x[i][k] - _x[j][k];
                    perDimension[k] += common * diff * diff * inverseLengthSquared[k];
                }
            }
        }
        for (int k = 0; k < _d; k++)
        {
            gradient[k] = 0.5 * perDimension[k] - theta[k] / (LengthPriorStd * LengthPriorStd);
            value -= 0.5 * theta[k] * theta[k] / (LengthPriorStd * LengthPriorStd);
        }
        gradient[_d] = 0.5 * gSignal;
        gradient[_d + 1] = 0.5 * gNoise;
        return (value, gradient);
    }

    /// <summary>Conditions the process on the data at <paramref name="theta"/>; false when K is not positive definite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Fit(double[] theta)
    {
        var inverseLengthSquared = new double[_d];
        for (int k = 0; k < _d; k++) inverseLengthSquared[k] = Math.Exp(-2 * theta[k]);
        double signal = Math.Exp(theta[_d]), noise = Math.Exp(theta[_d + 1]);
        var matrix = new double[_n * _n];
        for (int i = 0; i < _n; i++)
        {
            for (int j = 0; j <= i; j++)
                matrix[i * _n + j] = matrix[j * _n + i] = signal * Matern(Math.Sqrt(ScaledDistanceSquared(_x[i], _x[j], inverseLengthSquared)));
            matrix[i * _n + i] += noise + 1e-8;
        }
        if (!CholeskyInPlace(matrix, _n)) return false;
        _theta = theta;
        _cholesky = matrix;
        _alpha = SolveCholesky(matrix, _n, _y);
        return true;
    }

    /// <summary>The prior's standard deviation: an upper bound on every posterior standard deviation.</summary>
    public double PriorStd => Math.Sqrt(Math.Exp(_theta[_d]));

    /// <summary>Posterior mean at <paramref name="point"/> (after <see cref="Fit"/>); leaves k* in <paramref name="kStar"/> for <see cref="Std"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Mean(ReadOnlySpan<double> point, Span<double> kStar)
    {
        double signal = Math.Exp(_theta[_d]);
        Span<double> inverseLengthSquared = stackalloc double[_d];
        for (int k = 0; k < _d; k++) inverseLengthSquared[k] = Math.Exp(-2 * _theta[k]);
        for (int i = 0; i < _n; i++) kStar[i] = signal * Matern(Math.Sqrt(ScaledDistanceSquared(_x[i], point, inverseLengthSquared)));
        return DotKernel.Dot(kStar[.._n], _alpha);
    }

    /// <summary>Posterior standard deviation from the k* that <see cref="Mean"/> left (overwritten).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Std(Span<double> kStar)
    {
        // v = L^-1 k*, variance = signal - v.v
        for (int i = 0; i < _n; i++)
        {
            double s = kStar[i] - DotKernel.Dot(_cholesky.AsSpan(i * _n, i), kStar[..i]);
            kStar[i] = s / _cholesky[i * _n + i];
        }
        double variance = Math.Exp(_theta[_d]) - DotKernel.Dot(kStar[.._n], kStar[.._n]);
        return Math.Sqrt(Math.Max(variance, 1e-12));
    }

    /// <summary>Posterior mean and standard deviation of the latent function at <paramref name="point"/>.</summary>
    public (double Mean, double Std) Predict(ReadOnlySpan<double> point, Span<double> scratch)
    {
        double mean = Mean(point, scratch);
        return (mean, Std(scratch));
    }

    /// <summary>Lower Cholesky factor in place (row-major, lower triangle); false if not positive definite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool CholeskyInPlace(double[] a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * n + j] - DotKernel.Dot(a.AsSpan(i * n, j), a.AsSpan(j * n, j));
                if (i == j)
                {
                    if (!(s > 0)) return false;
                    a[i * n + i] = Math.Sqrt(s);
                }
                else a[i * n + j] = s / a[j * n + j];
            }
            for (int j = i + 1; j < n; j++) a[i * n + j] = 0;
        }
        return true;
    }

    /// <summary>Solves L L^T x = b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[] SolveCholesky(double[] l, int n, double[] b)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (b[i] - DotKernel.Dot(l.AsSpan(i * n, i), x.AsSpan(0, i))) / l[i * n + i];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = x[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    /// <summary>K^-1 = L^-T L^-1 from the Cholesky factor, with contiguous (vectorized) dot products only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[] InverseFromCholesky(double[] l, int n, double[] rows, double[] inverse)
    {
        // Row j of `rows` is column j of L^-1: the solution of L m = e_j (zero above j).
        Array.Clear(rows);
        for (int j = 0; j < n; j++)
        {
            var m = rows.AsSpan(j * n, n);
            m[j] = 1 / l[j * n + j];
            for (int i = j + 1; i < n; i++)
                m[i] = -DotKernel.Dot(l.AsSpan(i * n + j, i - j), m.Slice(j, i - j)) / l[i * n + i];
        }
        // K^-1_ij = sum_k (L^-1)_ki (L^-1)_kj, nonzero for k >= max(i, j).
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                inverse[i * n + j] = inverse[j * n + i] = DotKernel.Dot(rows.AsSpan(i * n + i, n - i), rows.AsSpan(j * n + i, n - i));
        return inverse;
    }
}
