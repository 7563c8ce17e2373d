using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// C = op(A)·B for fewer rows than a micro-kernel tile (a dense layer at batch 1 to 5: in effect a
/// matrix-vector product), with B's rows read where they lie. A tile kernel would spend most of its
/// multiply-adds on rows that do not exist and then copy its tile out; here each row of C is
/// computed on its own, 64 columns (eight vectors, enough independent sums to hide the multiply-add
/// latency) at a time, B's rows read where they lie (or, for a transposed B, gathered 64 columns at a time). Every element sums its products in depth order within the same depth blocks
/// as <see cref="GemmDriver"/> and folds each block's sum into C as <see cref="GemmTile.Fold"/> does,
/// with fused multiply-adds as the vector tile kernels use, so the result is theirs bit for bit.
/// </summary>
internal static unsafe class GemmRows
{
    /// <summary>Whether <paramref name="kernel"/>'s results are those of fused multiply-adds this code reproduces.</summary>
    public static bool Matches(GemmKernel kernel) =>
        kernel is GemmKernelAvx2 or GemmKernelAvx512 && Fma.IsSupported && Avx.IsSupported;

    /// <summary>
    /// C[rows, columnStart..columnEnd] = op(A)·op(B)[depthStart..depthEnd] + beta·C over depth blocks of <paramref name="kcStep"/>.
    /// B's rows are read in place when its columns are contiguous; a transposed B (a weight stored
    /// (out, in), as PyTorch's Linear keeps it) is copied, 64 columns by one depth block at a time,
    /// into that layout first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(GemmOperand a, GemmOperand b, float* c, nint ldc, int rowStart, int rowEnd,
        int columnStart, int columnEnd, int depthStart, int depthEnd, int kcStep, float beta)
    {
        bool inPlace = b.ColumnStride == 1;
        float* panel = inPlace ? null : GemmBuffers.ForCurrentThread((nuint)(kcStep * Block));
        for (int p0 = depthStart; p0 < depthEnd; p0 += kcStep)
        {
            int kc = Math.Min(kcStep, depthEnd - p0);
            TileUpdate update = p0 > depthStart || beta == 1f ? TileUpdate.Accumulate
                : beta == 0f ? TileUpdate.Overwrite : TileUpdate.Scale;
            for (int j0 = columnStart; j0 < columnEnd; j0 += Block)
            {
                int width = Math.Min(Block, columnEnd - j0);
                float* bRows = inPlace ? b.At(p0, j0) : Gather(b, p0, kc, j0, width, panel);
                nint bStride = inPlace ? b.RowStride : Block;
                for (int i = rowStart; i < rowEnd; i++)
                {
                    float* aRow = a.At(i, p0), cRow = c + i * ldc + j0;
                    int j = 0;
                    if (width == Block) Columns64(kc, aRow, a.ColumnStride, bRows, bStride, cRow, update, beta);
                    else
                    {
                        for (; j + 8 <= width; j += 8) Columns8(kc, aRow, a.ColumnStride, bRows + j, bStride, cRow + j, update, beta);
                        for (; j < width; j++) Column(kc, aRow, a.ColumnStride, bRows + j, bStride, cRow + j, update, beta);
                    }
                }
            }
        }
    }

    /// <summary>Columns of C per pass: eight vectors of sums.</summary>
    private const int Block = 64;

    /// <summary>Copies op(B)[p0..p0+kc, j0..j0+width) (B stored transposed: each column contiguous) into kc rows of <see cref="Block"/> floats.</summary>
    private static float* Gather(GemmOperand b, int p0, int kc, int j0, int width, float* panel)
    {
        float* first = b.At(p0, j0);
        nint step = b.ColumnStride;
        int fullDepth = kc & ~7, fullWidth = width & ~7;
        for (int p = 0; p < fullDepth; p += 8)
        for (int j = 0; j < fullWidth; j += 8)
            GemmPacking.Transpose8(first + p + j * step, step, 8, panel + p * Block + j, Block);
        for (int p = 0; p < kc; p++)
        {
            float* source = first + p, target = panel + p * Block;
            for (int j = p < fullDepth ? fullWidth : 0; j < width; j++) target[j] = source[j * step];
        }
        return panel;
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
