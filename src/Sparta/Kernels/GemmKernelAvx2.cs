using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// The AVX2 micro-kernel: a 6×16 tile in 12 ymm accumulators, leaving 3 of the 16 registers for
/// the two B vectors and the A broadcast of each depth step.
/// </summary>
internal sealed unsafe class GemmKernelAvx2 : GemmKernel
{
    public override string Name => "avx2";
    public override bool IsSupported => Avx2.IsSupported && Fma.IsSupported;
    public override int Bits => 256;
    public override int Mr => 6;
    public override int Nr => 16;
    public override bool PacksWithAvx512 => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Multiply(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TileUpdate update, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += 6, b += bStride)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), x;
            x = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        var scale = Vector256.Create(beta);
        Fold(c, c00, update, scale); Fold(c + 8, c01, update, scale); c += ldc;
        Fold(c, c10, update, scale); Fold(c + 8, c11, update, scale); c += ldc;
        Fold(c, c20, update, scale); Fold(c + 8, c21, update, scale); c += ldc;
        Fold(c, c30, update, scale); Fold(c + 8, c31, update, scale); c += ldc;
        Fold(c, c40, update, scale); Fold(c + 8, c41, update, scale); c += ldc;
        Fold(c, c50, update, scale); Fold(c + 8, c51, update, scale);
    }

    /// <summary>The vector form of <see cref="GemmTile.Fold"/>: the same operations, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(float* c, Vector256<float> products, TileUpdate update, Vector256<float> beta)
        => Vector256.Store(update switch
        {
            TileUpdate.Overwrite => products,
            TileUpdate.Accumulate => Vector256.Load(c) + products,
            _ => Fma.MultiplyAdd(Vector256.Load(c), beta, products),
        }, c);
}
