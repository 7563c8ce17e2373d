using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

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
    public override int Bits => 128;
    public override int Mr => 6;
    public override int Nr => 8;
    public override bool PacksWithAvx512 => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public override void Multiply(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TileUpdate update, float beta)
    {
        float* tile = stackalloc float[6 * 8];
        MultiplyIntoTile(kc, a, b, bStride, tile);
        if (update == TileUpdate.Scale) { GemmTile.Fold(tile, 8, 6, 8, c, ldc, update, beta); return; }
        for (int i = 0; i < 6; i++, c += ldc, tile += 8)
        {
            var low = Vector128.Load(tile);
            var high = Vector128.Load(tile + 4);
            if (update == TileUpdate.Accumulate) { low += Vector128.Load(c); high += Vector128.Load(c + 4); }
            low.Store(c);
            high.Store(c + 4);
        }
    }

    /// <summary>
    /// The depth loop, apart from the fold so that nothing else is live in a vector register while it runs:
    /// without FMA hardware each product needs a register of its own before it is added, and the 12
    /// accumulators, the two B vectors, the A broadcast and that product fill x64's 16, so beta, held
    /// across the loop, pushed an accumulator to the stack and every depth step waited on its store.
    /// The tile goes through memory before it is folded into C: a fused multiply-add without FMA
    /// hardware is a call, and an accumulator live across a call is spilled on every depth step.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyIntoTile(int kc, float* a, float* b, nint bStride, float* tile)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += 6, b += bStride)
        {
            Vector128<float> b0 = Vector128.Load(b), b1 = Vector128.Load(b + 4), x;
            x = Broadcast(a + 0); c00 = Vector128.MultiplyAddEstimate(x, b0, c00); c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Broadcast(a + 1); c10 = Vector128.MultiplyAddEstimate(x, b0, c10); c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Broadcast(a + 2); c20 = Vector128.MultiplyAddEstimate(x, b0, c20); c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Broadcast(a + 3); c30 = Vector128.MultiplyAddEstimate(x, b0, c30); c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
            x = Broadcast(a + 4); c40 = Vector128.MultiplyAddEstimate(x, b0, c40); c41 = Vector128.MultiplyAddEstimate(x, b1, c41);
            x = Broadcast(a + 5); c50 = Vector128.MultiplyAddEstimate(x, b0, c50); c51 = Vector128.MultiplyAddEstimate(x, b1, c51);
        }
        c00.Store(tile); c01.Store(tile + 4); c10.Store(tile + 8); c11.Store(tile + 12);
        c20.Store(tile + 16); c21.Store(tile + 20); c30.Store(tile + 24); c31.Store(tile + 28);
        c40.Store(tile + 32); c41.Store(tile + 36); c50.Store(tile + 40); c51.Store(tile + 44);
    }

    /// <summary>
    /// One A value in every lane, loaded that way: AVX's vbroadcastss from memory (NEON's ld1r) is a
    /// load alone, where Vector128.Create(a[i]) without AVX2 is a load and a shuffle, and the shuffle
    /// takes a slot of the ports the multiplies and adds run on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Broadcast(float* value)
    {
        if (Avx.IsSupported) return Avx.BroadcastScalarToVector128(value);
        if (AdvSimd.IsSupported) return AdvSimd.LoadAndReplicateToVector128(value);
        return Vector128.Create(*value);
    }
}
