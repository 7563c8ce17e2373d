using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// C = op(A)·B for fewer rows than a micro-kernel tile (a dense layer at batch 1 to 5: in effect a
/// matrix-vector product), with B's rows read where they lie. A tile kernel would spend most of its
/// multiply-adds on rows that do not exist and then copy its tile out; here each row of C is
/// computed on its own, 64 columns (eight vectors, enough independent sums to hide the multiply-add
/// latency) at a time. Every element sums its products in depth order within the same depth blocks
/// as <see cref="GemmDriver"/> and folds each block's sum into C as <see cref="GemmTile.Fold"/> does,
/// with fused multiply-adds as the vector tile kernels use, so the result is theirs bit for bit.
/// </summary>
internal static unsafe class GemmRows
{
    /// <summary>Whether <paramref name="kernel"/>'s results are those of fused multiply-adds this code reproduces.</summary>
    public static bool Matches(GemmKernel kernel) =>
        kernel is GemmKernelAvx2 or GemmKernelAvx512 && Fma.IsSupported && Avx.IsSupported;

    /// <summary>
    /// C[rows, columnStart..columnEnd] = op(A)·B + beta·C over depth blocks of <paramref name="kcStep"/>,
    /// B's columns contiguous (column stride 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(GemmOperand a, GemmOperand b, float* c, nint ldc, int rowStart, int rowEnd,
        int columnStart, int columnEnd, int k, int kcStep, float beta)
    {
        for (int p0 = 0; p0 < k; p0 += kcStep)
        {
            int kc = Math.Min(kcStep, k - p0);
            TileUpdate update = p0 > 0 || beta == 1f ? TileUpdate.Accumulate
                : beta == 0f ? TileUpdate.Overwrite : TileUpdate.Scale;
            for (int i = rowStart; i < rowEnd; i++)
            {
                float* aRow = a.At(i, p0), bRows = b.At(p0, 0), cRow = c + i * ldc;
                int j = columnStart;
                for (; j + 64 <= columnEnd; j += 64) Columns64(kc, aRow, a.ColumnStride, bRows + j, b.RowStride, cRow + j, update, beta);
                for (; j + 8 <= columnEnd; j += 8) Columns8(kc, aRow, a.ColumnStride, bRows + j, b.RowStride, cRow + j, update, beta);
                for (; j < columnEnd; j++) Column(kc, aRow, a.ColumnStride, bRows + j, b.RowStride, cRow + j, update, beta);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns64(int kc, float* a, nint aStride, float* b, nint bStride, float* c, TileUpdate update, float beta)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int p = 0; p < kc; p++, a += aStride, b += bStride)
        {
            var x = Vector256.Create(*a);
            s0 = Fma.MultiplyAdd(x, Vector256.Load(b), s0);
            s1 = Fma.MultiplyAdd(x, Vector256.Load(b + 8), s1);
            s2 = Fma.MultiplyAdd(x, Vector256.Load(b + 16), s2);
            s3 = Fma.MultiplyAdd(x, Vector256.Load(b + 24), s3);
            s4 = Fma.MultiplyAdd(x, Vector256.Load(b + 32), s4);
            s5 = Fma.MultiplyAdd(x, Vector256.Load(b + 40), s5);
            s6 = Fma.MultiplyAdd(x, Vector256.Load(b + 48), s6);
            s7 = Fma.MultiplyAdd(x, Vector256.Load(b + 56), s7);
        }
        var scale = Vector256.Create(beta);
        Fold(c, s0, update, scale); Fold(c + 8, s1, update, scale); Fold(c + 16, s2, update, scale); Fold(c + 24, s3, update, scale);
        Fold(c + 32, s4, update, scale); Fold(c + 40, s5, update, scale); Fold(c + 48, s6, update, scale); Fold(c + 56, s7, update, scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns8(int kc, float* a, nint aStride, float* b, nint bStride, float* c, TileUpdate update, float beta)
    {
        Vector256<float> sum = default;
        for (int p = 0; p < kc; p++, a += aStride, b += bStride) sum = Fma.MultiplyAdd(Vector256.Create(*a), Vector256.Load(b), sum);
        Fold(c, sum, update, Vector256.Create(beta));
    }

    private static void Column(int kc, float* a, nint aStride, float* b, nint bStride, float* c, TileUpdate update, float beta)
    {
        float sum = 0f;
        for (int p = 0; p < kc; p++, a += aStride, b += bStride) sum = MathF.FusedMultiplyAdd(*a, *b, sum);
        GemmTile.Fold(&sum, 1, 1, 1, c, 1, update, beta);
    }

    /// <summary>The vector form of <see cref="GemmTile.Fold"/>, as the tile kernels write it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(float* c, Vector256<float> sums, TileUpdate update, Vector256<float> beta)
        => Vector256.Store(update switch
        {
            TileUpdate.Overwrite => sums,
            TileUpdate.Accumulate => Vector256.Load(c) + sums,
            _ => Fma.MultiplyAdd(Vector256.Load(c), beta, sums),
        }, c);
}
