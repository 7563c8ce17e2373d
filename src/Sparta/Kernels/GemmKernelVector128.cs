using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// The portable 128-bit micro-kernel, written with the cross-platform Vector128 API so it compiles to
/// SSE on x64 processors without AVX2 and to NEON on ARM64: a 6×8 tile in 12 accumulators, leaving
/// 3 of x64's 16 vector registers (ARM64 has 32) for the two B vectors and the A broadcast of each
/// depth step. MultiplyAddEstimate fuses where the processor can (FMA, NEON's fmla) and otherwise
/// multiplies then adds; either way every tile of a run sums in the same order.
/// </summary>
internal sealed unsafe class GemmKernelVector128 : GemmKernel
{
    public override string Name => "vector128";
    public override bool IsSupported => Vector128.IsHardwareAccelerated;
    public override int Mr => 6;
    public override int Nr => 8;
    public override bool PacksWithAvx512 => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Multiply(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TileUpdate update, float beta)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += 6, b += bStride)
        {
            Vector128<float> b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4), x;
            x = Vector128.Create(a[0]); c00 = Vector128.MultiplyAddEstimate(x, b0, c00); c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Vector128.Create(a[1]); c10 = Vector128.MultiplyAddEstimate(x, b0, c10); c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Vector128.Create(a[2]); c20 = Vector128.MultiplyAddEstimate(x, b0, c20); c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Vector128.Create(a[3]); c30 = Vector128.MultiplyAddEstimate(x, b0, c30); c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
            x = Vector128.Create(a[4]); c40 = Vector128.MultiplyAddEstimate(x, b0, c40); c41 = Vector128.MultiplyAddEstimate(x, b1, c41);
            x = Vector128.Create(a[5]); c50 = Vector128.MultiplyAddEstimate(x, b0, c50); c51 = Vector128.MultiplyAddEstimate(x, b1, c51);
        }
        var scale = Vector128.Create(beta);
        Fold(c, c00, update, scale); Fold(c + 4, c01, update, scale); c += ldc;
        Fold(c, c10, update, scale); Fold(c + 4, c11, update, scale); c += ldc;
        Fold(c, c20, update, scale); Fold(c + 4, c21, update, scale); c += ldc;
        Fold(c, c30, update, scale); Fold(c + 4, c31, update, scale); c += ldc;
        Fold(c, c40, update, scale); Fold(c + 4, c41, update, scale); c += ldc;
        Fold(c, c50, update, scale); Fold(c + 4, c51, update, scale);
    }

    /// <summary>The vector form of <see cref="GemmTile.Fold"/>: the same operations, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(float* c, Vector128<float> products, TileUpdate update, Vector128<float> beta)
        => Vector128.Store(update switch
        {
            TileUpdate.Overwrite => products,
            TileUpdate.Accumulate => Vector128.Load(c) + products,
            _ => Vector128.FusedMultiplyAdd(Vector128.Load(c), beta, products),
        }, c);
}
