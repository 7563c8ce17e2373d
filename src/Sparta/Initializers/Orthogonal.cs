using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Initializers;

/// <summary>
/// A random orthogonal matrix times <c>gain</c> (Saxe et al. 2014): the Q of the QR decomposition
/// of a Gaussian matrix, with each column's sign set by R's diagonal so Q is uniformly distributed
/// (Mezzadri 2007). The weight is viewed as a matrix of shape[0] rows by the remaining size —
/// [in, out] for a dense kernel (as Keras) and [out_channels, in_channels·kh·kw] for a convolution
/// (as PyTorch) — whose columns are orthonormal when it is tall and rows when it is wide.
/// </summary>
public sealed class Orthogonal : Initializer
{
    public const string RegisteredName = "orthogonal";

    public Orthogonal(double gain = 1) => Gain = Check.Positive(gain, "gain", "initializer 'orthogonal'");

    public double Gain { get; }

    public override string Name => RegisteredName;

    public override void Initialize(Tensor weights, RandomGenerator random)
    {
        if (weights.Rank < 2)
            throw new ArgumentException($"initializer 'orthogonal': needs a weight of rank 2 or more, got shape {weights.Shape}");
        int rows = weights.Shape[0], cols = weights.Size / rows;
        int tall = Math.Max(rows, cols), narrow = Math.Min(rows, cols);
        var q = new double[tall * narrow];
        for (int i = 0; i < q.Length; i++) q[i] = random.Normal();
        OrthonormalizeColumns(q, tall, narrow);
        // q is column-major tall × narrow: element (i, j) at j·tall + i. A wide weight takes its transpose.
        var target = weights.Span;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                target[r * cols + c] = (float)(Gain * (rows >= cols ? q[c * tall + r] : q[r * tall + c]));
    }

    /// <summary>
    /// Replaces the columns of the column-major m × n matrix a (m ≥ n) by the Q of its Householder
    /// QR decomposition, each column multiplied by the sign of R's diagonal entry.
    /// </summary>
    internal static void OrthonormalizeColumns(double[] a, int m, int n)
    {
        var reflectors = new double[n][];
        var signs = new double[n];
        for (int k = 0; k < n; k++)
        {
            var v = new double[m - k];
            double norm = 0;
            for (int i = k; i < m; i++) norm += a[k * m + i] * a[k * m + i];
            norm = Math.Sqrt(norm);
            double x0 = a[k * m + k];
            // R[k, k] = alpha; the reflector maps column k onto alpha·e_k, alpha of opposite sign to x0 for stability.
            double alpha = x0 >= 0 ? -norm : norm;
            signs[k] = alpha >= 0 ? 1 : -1;
            for (int i = k; i < m; i++) v[i - k] = a[k * m + i];
            v[0] -= alpha;
            double vNorm = Math.Sqrt(v.Sum(e => e * e));
            if (vNorm > 0) for (int i = 0; i < v.Length; i++) v[i] /= vNorm;
            reflectors[k] = v;
            for (int j = k; j < n; j++) Reflect(v, a, j * m + k);
        }
        // Q = H_0 H_1 … H_{n−1} applied to the first n columns of the identity, last reflector first.
        Array.Clear(a);
        for (int j = 0; j < n; j++) a[j * m + j] = 1;
        for (int k = n - 1; k >= 0; k--)
            for (int j = 0; j < n; j++) Reflect(reflectors[k], a, j * m + k);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) a[j * m + i] *= signs[j];
    }

    /// <summary>x −= 2 v (vᵀ x) on the segment of a starting at offset (v is a unit vector).</summary>
    private static void Reflect(double[] v, double[] a, int offset)
    {
        double dot = 0;
        for (int i = 0; i < v.Length; i++) dot += v[i] * a[offset + i];
        for (int i = 0; i < v.Length; i++) a[offset + i] -= 2 * dot * v[i];
    }

    public override ComponentConfig GetConfig() => Config(("gain", Gain));

    internal static Orthogonal FromConfig(ConfigReader r) => new(r.Double("gain", 1));
}
