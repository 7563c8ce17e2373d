namespace Sparta.Kernels;

/// <summary>
/// SGEMM entry point: C = op(A)·op(B) + beta·C, row-major. Runs the fastest micro-kernel the
/// processor supports (AVX-512, AVX2, then scalar) on up to <see cref="Parallelism.ThreadCount"/>
/// threads; the result is the same for any thread count. beta = 0 overwrites C without reading it.
/// </summary>
internal static class Gemm
{
    /// <summary>Contiguous operands: op(A) is m×k, op(B) is k×n, C is m×n.</summary>
    public static void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float beta = 0f)
    {
        GemmShapes.Check(transA, transB, m, n, k, a.Length, b.Length, c.Length);
        Run(GemmKernel.Best, Parallelism.ThreadCount, transA, transB, m, n, k,
            a, StoredColumns(transA, m, k), b, StoredColumns(transB, k, n), c, n, beta);
    }

    /// <summary>
    /// Operands with leading dimensions (the distance between two stored rows), for sub-matrices of
    /// larger ones: A is stored with <paramref name="lda"/>, B with <paramref name="ldb"/>, C with <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, float beta = 0f)
    {
        GemmShapes.CheckStrided(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        Run(GemmKernel.Best, Parallelism.ThreadCount, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, beta);
    }

    /// <summary>Contiguous operands in native memory; the caller vouches that they hold m·k, k·n and m·n floats.</summary>
    public static unsafe void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        float* a, float* b, float* c, float beta = 0f)
    {
        GemmShapes.CheckSizes(m, n, k);
        GemmDriver.Multiply(GemmKernel.Best,
            GemmOperand.Of(a, transA, StoredColumns(transA, m, k)), GemmOperand.Of(b, transB, StoredColumns(transB, k, n)),
            c, n, m, n, k, beta, Parallelism.ThreadCount);
    }

    /// <summary>The checked entry with the kernel and thread count chosen by the caller (tests run every kernel).</summary>
    internal static unsafe void Run(GemmKernel kernel, int threads, Transpose transA, Transpose transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, float beta,
        double minFlopsPerThread = GemmDriver.MinFlopsPerThread)
    {
        fixed (float* pa = a, pb = b, pc = c)
            GemmDriver.Multiply(kernel, GemmOperand.Of(pa, transA, lda), GemmOperand.Of(pb, transB, ldb),
                pc, ldc, m, n, k, beta, threads, minFlopsPerThread);
    }

    /// <summary>Columns of X as stored, when op(X) is rows×columns.</summary>
    internal static int StoredColumns(Transpose transpose, int rows, int columns) => transpose == Transpose.No ? columns : rows;
}
