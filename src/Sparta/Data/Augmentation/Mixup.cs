using System.Numerics.Tensors;

namespace Sparta.Data.Augmentation;

/// <summary>
/// Mixup (Zhang et al. 2018): x_i ← λ·x_i + (1-λ)·x_p(i), and the same for the one-hot labels,
/// where p pairs each sample with another of the batch.
/// </summary>
internal static class Mixup
{
    /// <summary>Blends rows in place; the scratch spans hold a copy of the originals (at least rows × row size).</summary>
    public static void Blend(Span<float> rows, int rowSize, ReadOnlySpan<int> partners, float lambda, Span<float> scratch)
    {
        int count = partners.Length;
        rows[..(count * rowSize)].CopyTo(scratch);
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * rowSize, rowSize);
            var partner = scratch.Slice(partners[i] * rowSize, rowSize);
            // λ·x + (1-λ)·y = y + λ·(x - y)
            TensorPrimitives.Subtract(row, partner, row);
            TensorPrimitives.MultiplyAdd(row, lambda, partner, row);
        }
    }
}
