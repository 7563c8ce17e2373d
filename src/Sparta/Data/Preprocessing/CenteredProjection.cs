using System.Numerics.Tensors;
using Sparta.Kernels;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// The linear algebra PCA and ZCA share: the feature mean and covariance of training samples
/// (accumulated in double from float GEMM blocks of fixed size) and the projection (x - mean)·P.
/// </summary>
internal static class CenteredProjection
{
    private const int RowsPerBlock = 256;

    /// <summary>Sample covariance (divided by n - 1), d×d row-major, of the (n, d) rows around <paramref name="mean"/>.</summary>
    public static double[] Covariance(Tensor data, double[] mean)
    {
        int n = data.Shape[0], d = mean.Length;
        if (n < 2) throw new ArgumentException($"covariance: needs at least 2 samples, got {n}");
        var covariance = new double[d * d];
        var block = new float[RowsPerBlock * d];
        var product = new float[d * d];
        for (int start = 0; start < n; start += RowsPerBlock)
        {
            int rows = Math.Min(RowsPerBlock, n - start);
            Center(data.Span.Slice(start * d, rows * d), mean, block);
            Gemm.Multiply(Transpose.Yes, Transpose.No, d, d, rows, block.AsSpan(0, rows * d), block.AsSpan(0, rows * d), product);
            for (int i = 0; i < covariance.Length; i++) covariance[i] += product[i];
        }
        for (int i = 0; i < covariance.Length; i++) covariance[i] /= n - 1;
        return covariance;
    }

    /// <summary>(x - mean)·P for P of shape (d, k) row-major; returns (n, k).</summary>
    public static Tensor Project(Tensor data, double[] mean, float[] projection, int k)
    {
        int n = data.Shape[0], d = mean.Length;
        var result = Tensor.Uninitialized(new Shape(n, k));
        var block = new float[RowsPerBlock * d];
        for (int start = 0; start < n; start += RowsPerBlock)
        {
            int rows = Math.Min(RowsPerBlock, n - start);
            Center(data.Span.Slice(start * d, rows * d), mean, block);
            Gemm.Multiply(Transpose.No, Transpose.No, rows, k, d, block.AsSpan(0, rows * d), projection, result.Span.Slice(start * k, rows * k));
        }
        return result;
    }

    private static void Center(ReadOnlySpan<float> rows, double[] mean, Span<float> centered)
    {
        int d = mean.Length;
        Span<float> mean32 = d <= 4096 ? stackalloc float[d] : new float[d];
        for (int j = 0; j < d; j++) mean32[j] = (float)mean[j];
        for (int r = 0; r < rows.Length / d; r++)
            TensorPrimitives.Subtract(rows.Slice(r * d, d), mean32, centered.Slice(r * d, d));
    }
}
