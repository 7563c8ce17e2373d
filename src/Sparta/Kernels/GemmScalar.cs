namespace Sparta.Kernels;

/// <summary>
/// The reference SGEMM: plain loops, accumulated in double. Every fast GEMM path is tested against it.
/// </summary>
internal static class GemmScalar
{
    /// <summary>C = op(A)·op(B) + beta·C for row-major, contiguous matrices; op(A) is m×k, op(B) is k×n.</summary>
    public static void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float beta = 0f)
    {
        GemmShapes.Check(transA, transB, m, n, k, a.Length, b.Length, c.Length);
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                float av = transA == Transpose.No ? a[i * k + p] : a[p * m + i];
                float bv = transB == Transpose.No ? b[p * n + j] : b[j * k + p];
                sum += (double)av * bv;
            }
            c[i * n + j] = (float)(sum + (beta == 0f ? 0.0 : (double)beta * c[i * n + j]));
        }
    }
}
