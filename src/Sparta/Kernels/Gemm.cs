namespace Sparta.Kernels;

/// <summary>
/// SGEMM entry point: C = op(A)·op(B) + beta·C, row-major and contiguous.
/// Chooses the fastest kernel the processor supports.
/// </summary>
public static class Gemm
{
    public static void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float beta = 0f)
        => GemmScalar.Multiply(transA, transB, m, n, k, a, b, c, beta);
}
