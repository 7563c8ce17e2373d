using System.Runtime.CompilerServices;

namespace Sparta.Kernels;

/// <summary>The scalar form of a tile update, shared by the scalar kernel and the ragged edges of C.</summary>
internal static unsafe class GemmTile
{
    /// <summary>
    /// Folds the products in <paramref name="tile"/> (row stride <paramref name="tileStride"/>) into
    /// the top-left rows×cols of C with the same arithmetic the vector kernels use on full tiles, so
    /// an element's value does not depend on whether its tile was full or ragged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fold(float* tile, int tileStride, int rows, int cols, float* c, nint ldc, TileUpdate update, float beta)
    {
        for (int i = 0; i < rows; i++)
        {
            float* from = tile + i * tileStride;
            float* to = c + i * ldc;
            for (int j = 0; j < cols; j++)
                to[j] = update switch
                {
                    TileUpdate.Overwrite => from[j],
                    TileUpdate.Accumulate => to[j] + from[j],
                    _ => MathF.FusedMultiplyAdd(to[j], beta, from[j]),
                };
        }
    }
}
