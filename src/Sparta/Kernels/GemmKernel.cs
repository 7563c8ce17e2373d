namespace Sparta.Kernels;

/// <summary>How a micro-kernel folds its tile of products into C.</summary>
internal enum TileUpdate
{
    /// <summary>C = A·B (beta = 0: C's old contents are never read, so NaNs there do not leak).</summary>
    Overwrite,
    /// <summary>C = C + A·B (beta = 1, and every depth block after the first).</summary>
    Accumulate,
    /// <summary>C = beta·C + A·B, one rounding (fused multiply-add).</summary>
    Scale,
}

/// <summary>
/// A register-blocked GEMM micro-kernel: multiplies a packed Mr×kc panel of A by a packed kc×Nr
/// panel of B, keeping the Mr×Nr tile of C in registers for the whole depth. Every variant sums
/// over the depth in the same order, so the blocking and threading above it never change a result
/// of a given variant.
/// </summary>
internal abstract unsafe class GemmKernel
{
    /// <summary>Fastest first; <see cref="Best"/> is the first one this processor runs within the vector width in use.</summary>
    public static readonly GemmKernel[] All = [new GemmKernelAvx512(), new GemmKernelAvx2(), new GemmKernelVector128(), new GemmKernelScalar()];

    /// <summary>The kernel of the width in use (<see cref="VectorWidth"/>): read at each product, so a width set later applies.</summary>
    public static GemmKernel Best
    {
        get
        {
            foreach (var kernel in All)
                if (kernel.IsSupported && kernel.Bits <= VectorWidth.Lanes * 32) return kernel;
            return All[^1];
        }
    }

    public abstract string Name { get; }

    public abstract bool IsSupported { get; }

    /// <summary>The width of the vectors it computes with (0: scalar).</summary>
    public abstract int Bits { get; }

    /// <summary>Rows of C per tile; each is one broadcast of A per depth step.</summary>
    public abstract int Mr { get; }

    /// <summary>Columns of C per tile; a multiple of the vector width.</summary>
    public abstract int Nr { get; }

    /// <summary>Whether packing may use AVX-512 transposes and copies (the scalar path keeps to plain loops).</summary>
    public abstract bool PacksWithAvx512 { get; }

    /// <summary>
    /// Folds A·B into the full Mr×Nr tile at <paramref name="c"/> (row stride <paramref name="ldc"/>).
    /// <paramref name="a"/> holds kc steps of Mr values; <paramref name="b"/> holds kc steps of Nr values,
    /// <paramref name="bStride"/> floats apart (Nr when packed, B's row length when read in place).
    /// </summary>
    public abstract void Multiply(int kc, float* a, float* b, nint bStride, float* c, nint ldc, TileUpdate update, float beta);

    public override string ToString() => Name;
}
