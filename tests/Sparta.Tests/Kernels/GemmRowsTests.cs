using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// Products with fewer rows than a tile (a dense layer at batch 1 to 5) take the row path; its
/// rows must be bit for bit those the tile kernel computes for the same rows inside a full tile.
/// Kernels without a row path (the 128-bit and scalar ones) go through their ragged-tile path, which must agree too.
/// </summary>
public class GemmRowsTests
{
    public static TheoryData<string> SupportedKernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in GemmKernel.All.Where(k => k.IsSupported)) data.Add(kernel.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(SupportedKernels))]
    public void Few_rows_equal_the_same_rows_of_a_full_tile_bit_for_bit(string kernelName)
    {
        var kernel = GemmKernel.All.Single(k => k.Name == kernelName);
        int full = kernel.Mr;
        foreach (var transA in new[] { Transpose.No, Transpose.Yes })
        foreach (var transB in new[] { Transpose.No, Transpose.Yes })
        foreach (int n in new[] { 1, 7, 8, 63, 64, 65, 200 })
        foreach (int k in new[] { 1, 9, 385, 800 })
        foreach (float beta in new[] { 0f, 1f, 0.5f })
        {
            var random = new RandomGenerator((ulong)(n * 1000 + k));
            float[] a = Values(random, full * k), b = Values(random, k * n), start = Values(random, full * n);
            float[] tile = (float[])start.Clone();
            // op(A) is full×k; stored transposed it is k×full, with the leading dimension full.
            int lda = transA == Transpose.No ? k : full, ldb = transB == Transpose.No ? n : k;
            Gemm.Run(kernel, 1, transA, transB, full, n, k, a, lda, b, ldb, tile, n, beta);
            for (int rows = 1; rows < full; rows++)
            {
                float[] c = (float[])start.Clone();
                Gemm.Run(kernel, 1, transA, transB, rows, n, k, a, lda, b, ldb, c, n, beta);
                for (int i = 0; i < rows * n; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(c[i]) == BitConverter.SingleToInt32Bits(tile[i]),
                        $"{transA}{transB} rows={rows} n={n} k={k} beta={beta}: element {i} is {c[i]}, the tile gives {tile[i]}");
                for (int i = rows * n; i < full * n; i++) Assert.Equal(start[i], c[i]);
            }
        }
    }

    [Fact]
    public void Matches_only_the_fused_multiply_add_kernels()
    {
        Assert.False(GemmRows.Matches(GemmKernel.All.Single(k => k.Name == "scalar")));
    }

    private static float[] Values(RandomGenerator random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
