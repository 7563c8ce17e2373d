namespace Sparta.Kernels;

internal static class GemmShapes
{
    /// <summary>Rejects sizes and buffer lengths that disagree, naming what was received.</summary>
    public static void Check(Transpose transA, Transpose transB, int m, int n, int k, int aLength, int bLength, int cLength)
    {
        CheckSizes(m, n, k);
        if (aLength < (long)m * k)
            throw new ArgumentException($"gemm: A{Mark(transA)} must hold {m}x{k}={(long)m * k} values, got {aLength}");
        if (bLength < (long)k * n)
            throw new ArgumentException($"gemm: B{Mark(transB)} must hold {k}x{n}={(long)k * n} values, got {bLength}");
        if (cLength < (long)m * n)
            throw new ArgumentException($"gemm: C must hold {m}x{n}={(long)m * n} values, got {cLength}");
    }

    public static void CheckSizes(int m, int n, int k)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"gemm: sizes must be non-negative, got m={m} n={n} k={k}");
    }

    /// <summary>The same checks for operands stored with leading dimensions.</summary>
    public static void CheckStrided(Transpose transA, Transpose transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        CheckSizes(m, n, k);
        CheckOperand('A', transA, "lda", transA == Transpose.No ? m : k, transA == Transpose.No ? k : m, aLength, lda);
        CheckOperand('B', transB, "ldb", transB == Transpose.No ? k : n, transB == Transpose.No ? n : k, bLength, ldb);
        CheckOperand('C', Transpose.No, "ldc", m, n, cLength, ldc);
    }

    /// <summary>Checks one operand; its name (<paramref name="operand"/> and the transpose mark) is written only into an error, so a passing check allocates nothing.</summary>
    private static void CheckOperand(char operand, Transpose transpose, string ldName, int rows, int columns, int length, int ld)
    {
        if (ld < Math.Max(1, columns))
            throw new ArgumentOutOfRangeException(ldName, $"gemm: {ldName} must be at least {Math.Max(1, columns)} (the stored columns of {operand}{Mark(transpose)}), got {ld}");
        long needed = rows == 0 || columns == 0 ? 0 : (long)(rows - 1) * ld + columns;
        if (length < needed)
            throw new ArgumentException($"gemm: {operand}{Mark(transpose)} stored as {rows}x{columns} with {ldName}={ld} needs {needed} values, got {length}");
    }

    private static string Mark(Transpose transpose) => transpose == Transpose.Yes ? "ᵀ" : "";
}
