using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// The portable 128-bit micro-kernel, written with the cross-platform Vector128 API so it compiles to
/// SSE on x64 processors without AVX2 and to NEON on ARM64: a 6×8 tile in 12 accumulators, leaving
/// 3 of x64's 16 vector registers (ARM64 has 32) for the two B vectors and the A broadcast of each
/// depth step. MultiplyAddEstimate fuses where the processor can (FMA, NEON's fmla) and otherwise
/// multiplies then adds; either way every tile of a run sums in the same order. Each A value is
/// loaded broadcast (<see cref="Float128.Broadcast"/>): without FMA every multiply and add takes a
/// slot of the vector ports, and a shuffle per broadcast held the kernel to 0.35x of the AVX2 one's
/// speed; without it, 0.5x, the width ratio.
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
            x = Float128.Broadcast(a + 0).Value; c00 = Vector128.MultiplyAddEstimate(x, b0, c00); c01 = Vector128.MultiplyAddEstimate(x, b1, c01);
            x = Float128.Broadcast(a + 1).Value; c10 = Vector128.MultiplyAddEstimate(x, b0, c10); c11 = Vector128.MultiplyAddEstimate(x, b1, c11);
            x = Float128.Broadcast(a + 2).Value; c20 = Vector128.MultiplyAddEstimate(x, b0, c20); c21 = Vector128.MultiplyAddEstimate(x, b1, c21);
            x = Float128.Broadcast(a + 3).Value; c30 = Vector128.MultiplyAddEstimate(x, b0, c30); c31 = Vector128.MultiplyAddEstimate(x, b1, c31);
            x = Float128.Broadcast(a + 4).Value; c40 = Vector128.MultiplyAddEstimate(x, b0, c40); c41 = Vector128.MultiplyAddEstimate(x, b1, c41);
            x = Float128.Broadcast(a + 5).Value; c50 = Vector128.MultiplyAddEstimate(x, b0, c50); c51 = Vector128.MultiplyAddEstimate(x, b1, c51);
        }
        c00.Store(tile); c01.Store(tile + 4); c10.Store(tile + 8); c11.Store(tile + 12);
        c20.Store(tile + 16); c21.Store(tile + 20); c30.Store(tile + 24); c31.Store(tile + 28);
        c40.Store(tile + 32); c41.Store(tile + 36); c50.Store(tile + 40); c51.Store(tile + 44);
    }
}
