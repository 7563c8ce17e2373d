using System.Runtime.CompilerServices;

namespace Sparta.Kernels;

/// <summary>The portable micro-kernel for processors without AVX2: a 4×4 tile in plain floats.</summary>
internal sealed unsafe class GemmKernelScalar : GemmKernel
{
    private const int Rows = 4, Columns = 4;

    public override string Name => "scalar";
    public override bool IsSupported => true;
    public override int Bits => 0;
    public override int Mr => Rows;
    public override int Nr => Columns;
    public override bool PacksWithAvx512 => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Multiply(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TileUpdate update, float beta)
    {
        float* products = stackalloc float[Rows * Columns];
        for (int i = 0; i < Rows * Columns; i++) products[i] = 0f;
        for (int p = 0; p < kc; p++, a += Rows, b += bStride)
            for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Columns; j++)
                products[i * Columns + j] += a[i] * b[j];
        GemmTile.Fold(products, Columns, Rows, Columns, c, ldc, update, beta);
    }
}
