namespace Sparta.Kernels;

internal static class GemmShapes
{
    /// <summary>Rejects sizes and buffer lengths that disagree, naming what was received.</summary>
    public static void Check(Transpose transA, Transpose transB, int m, int n, int k, int aLength, int bLength, int cLength)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"gemm: sizes must be non-negative, got m={m} n={n} k={k}");
        if (aLength < (long)m * k)
            throw new ArgumentException($"gemm: A{(transA == Transpose.Yes ? "ᵀ" : "")} must hold {m}x{k}={(long)m * k} values, got {aLength}");
        if (bLength < (long)k * n)
            throw new ArgumentException($"gemm: B{(transB == Transpose.Yes ? "ᵀ" : "")} must hold {k}x{n}={(long)k * n} values, got {bLength}");
        if (cLength < (long)m * n)
            throw new ArgumentException($"gemm: C must hold {m}x{n}={(long)m * n} values, got {cLength}");
    }
}
