using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Sparta.Kernels;

/// <summary>
/// The AVX-512 micro-kernel: a 12×32 tile of C in 24 zmm accumulators. Each depth step loads two
/// B vectors and broadcasts twelve A values: 24 FMAs against 14 loads, so the two FMA pipes stay
/// busy while 5 of the 32 registers remain for operands.
/// </summary>
internal sealed unsafe class GemmKernelAvx512 : GemmKernel
{
    public override string Name => "avx512";
    public override bool IsSupported => Avx512F.IsSupported;
    public override int Bits => 512;
    public override int Mr => 12;
    public override int Nr => 32;
    public override bool PacksWithAvx512 => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Multiply(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TileUpdate update, float beta)
    {
        for (int i = 0; i < 12; i++)
        {
            // C's rows are far apart in memory; asking for them now hides the misses behind the loop.
            Sse.Prefetch0(c + i * ldc);
            Sse.Prefetch0(c + i * ldc + 16);
        }
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++, a += 12, b += bStride)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), x;
            x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); ca0 = Avx512F.FusedMultiplyAdd(x, b0, ca0); ca1 = Avx512F.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a[11]); cb0 = Avx512F.FusedMultiplyAdd(x, b0, cb0); cb1 = Avx512F.FusedMultiplyAdd(x, b1, cb1);
        }
        var scale = Vector512.Create(beta);
        Fold(c, c00, update, scale); Fold(c + 16, c01, update, scale); c += ldc;
        Fold(c, c10, update, scale); Fold(c + 16, c11, update, scale); c += ldc;
        Fold(c, c20, update, scale); Fold(c + 16, c21, update, scale); c += ldc;
        Fold(c, c30, update, scale); Fold(c + 16, c31, update, scale); c += ldc;
        Fold(c, c40, update, scale); Fold(c + 16, c41, update, scale); c += ldc;
        Fold(c, c50, update, scale); Fold(c + 16, c51, update, scale); c += ldc;
        Fold(c, c60, update, scale); Fold(c + 16, c61, update, scale); c += ldc;
        Fold(c, c70, update, scale); Fold(c + 16, c71, update, scale); c += ldc;
        Fold(c, c80, update, scale); Fold(c + 16, c81, update, scale); c += ldc;
        Fold(c, c90, update, scale); Fold(c + 16, c91, update, scale); c += ldc;
        Fold(c, ca0, update, scale); Fold(c + 16, ca1, update, scale); c += ldc;
        Fold(c, cb0, update, scale); Fold(c + 16, cb1, update, scale);
    }

    /// <summary>The vector form of <see cref="GemmTile.Fold"/>: the same operations, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(float* c, Vector512<float> products, TileUpdate update, Vector512<float> beta)
        => Vector512.Store(update switch
        {
            TileUpdate.Overwrite => products,
            TileUpdate.Accumulate => Vector512.Load(c) + products,
            _ => Avx512F.FusedMultiplyAdd(Vector512.Load(c), beta, products),
        }, c);
}
