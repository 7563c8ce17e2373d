using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>Every micro-kernel this processor runs, checked against the scalar oracle <see cref="GemmScalar"/>.</summary>
public class GemmTests
{
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kernel in GemmKernel.All.Where(kernel => kernel.IsSupported)) data.Add(kernel.Name);
        return data;
    }

    private static GemmKernel KernelNamed(string name) => GemmKernel.All.Single(kernel => kernel.Name == name);

    private static readonly (Transpose A, Transpose B)[] Variants =
        [(Transpose.No, Transpose.No), (Transpose.Yes, Transpose.No), (Transpose.No, Transpose.Yes), (Transpose.Yes, Transpose.Yes)];

    /// <summary>
    /// Sizes off the tile grid on purpose: 1 and 0, one under and one over a tile, a depth past the
    /// 392-step block with a 16-step transpose tail, columns past the 512-column block, rows past the 1536-row block.
    /// </summary>
    private static readonly (int M, int N, int K)[] RaggedShapes =
        [(1, 1, 1), (1, 17, 3), (5, 1, 2), (11, 31, 15), (13, 33, 17), (12, 32, 16), (25, 65, 393), (7, 530, 21), (1541, 3, 18), (3, 2, 800)];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_variant_matches_the_oracle_on_ragged_shapes(string kernelName)
    {
        var kernel = KernelNamed(kernelName);
        foreach (var (ta, tb) in Variants)
        foreach (var (m, n, k) in RaggedShapes)
            CheckAgainstOracle(kernel, ta, tb, m, n, k, beta: 0f, threads: 1);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Beta_accumulates_or_scales_what_c_held(string kernelName)
    {
        var kernel = KernelNamed(kernelName);
        foreach (float beta in new[] { 1f, 0.5f, -2f })
        foreach (var (ta, tb) in Variants)
        {
            CheckAgainstOracle(kernel, ta, tb, 13, 35, 20, beta, threads: 1);
            CheckAgainstOracle(kernel, ta, tb, 24, 64, 400, beta, threads: 1);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Beta_zero_ignores_garbage_in_c(string kernelName)
    {
        var (a, b) = Operands(14, 40, 9, seed: 3);
        var c = Enumerable.Repeat(float.NaN, 14 * 40).ToArray();
        Gemm.Run(KernelNamed(kernelName), 1, Transpose.No, Transpose.No, 14, 40, 9, a, 9, b, 40, c, 40, 0f);
        Assert.DoesNotContain(c, float.IsNaN);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Empty_depth_leaves_beta_times_c(string kernelName)
    {
        float[] c = [1f, 2f, 3f, 4f, 5f, 6f];
        Gemm.Run(KernelNamed(kernelName), 1, Transpose.No, Transpose.No, 2, 3, 0, [], 0, [], 3, c, 3, 0.5f);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f, 2.5f, 3f }, c);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Results_are_bit_identical_for_any_thread_count(string kernelName)
    {
        var kernel = KernelNamed(kernelName);
        // Wide and tall shapes split C along columns and along rows; the low work threshold forces the split.
        foreach (var (m, n, k) in new[] { (37, 300, 70), (260, 45, 70) })
        foreach (var (ta, tb) in Variants)
        {
            var (a, b) = Operands(m, n, k, seed: 7);
            float[] first = MultiplyWithThreads(kernel, ta, tb, m, n, k, a, b, threads: 1);
            foreach (int threads in new[] { 2, 3, 5 })
                Assert.Equal(first, MultiplyWithThreads(kernel, ta, tb, m, n, k, a, b, threads));
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void A_product_twice_as_deep_as_wide_sums_two_depth_halves_on_one_thread(string kernelName)
    {
        var kernel = KernelNamed(kernelName);
        // The MLP's second layer (128×256 by 256×128): two blocks of 128 even on one thread, so that two threads can
        // each take one; C is the first half's product plus the second's, exactly. Not so at a depth under 256.
        const int m = 128, n = 128, k = 256, half = k / 2;
        Assert.Equal(2, GemmDriver.DepthBlocks(m, n, k));
        Assert.Equal(1, GemmDriver.DepthBlocks(m, n, 254));
        Assert.Equal(1, GemmDriver.DepthBlocks(m, 129, k));
        var (a, b) = Operands(m, n, k, seed: 21);
        var whole = new float[m * n];
        Gemm.Run(kernel, 1, Transpose.No, Transpose.No, m, n, k, a, k, b, n, whole, n, 0f);
        var halves = new float[m * n];
        Gemm.Run(kernel, 1, Transpose.No, Transpose.No, m, n, half, a, k, b, n, halves, n, 0f);
        Gemm.Run(kernel, 1, Transpose.No, Transpose.No, m, n, half, a.AsSpan(half), k, b.AsSpan(half * n), n, halves, n, 1f);
        Assert.Equal(halves, whole);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void A_product_cut_by_depth_gives_one_threads_bits(string kernelName)
    {
        var kernel = KernelNamed(kernelName);
        // The MLP's first layer's depth (two blocks of 392, one a thread; at beta 0 each block writes C's rows of the
        // thread that sums them, b1 + b0 for the second half), its full shape, three blocks on three threads, and rows
        // under a tile (the row kernel's path); beta folds into the first block's part only.
        foreach (var (m, n, k, threads) in new[] { (20, 40, 784, 2), (128, 256, 784, 2), (128, 128, 256, 2), (9, 30, 1000, 3), (5, 70, 784, 2) })
        {
            Assert.True(GemmDepthSplit.Fits(m, n, k, GemmDriver.DepthBlocks(m, n, k), threads), $"{m}x{n}x{k} on {threads} threads");
            foreach (var (ta, tb) in Variants)
            foreach (float beta in new[] { 0f, 1f, 0.5f })
            {
                var (a, b) = Operands(m, n, k, seed: 13);
                var initial = new float[m * n];
                new RandomGenerator(17).FillUniform(initial, -1, 1);
                float[] alone = (float[])initial.Clone(), split = (float[])initial.Clone(), expected = (float[])initial.Clone();
                Gemm.Run(kernel, 1, ta, tb, m, n, k, a, Gemm.StoredColumns(ta, m, k), b, Gemm.StoredColumns(tb, k, n), alone, n, beta, minFlopsPerThread: 1);
                Gemm.Run(kernel, threads, ta, tb, m, n, k, a, Gemm.StoredColumns(ta, m, k), b, Gemm.StoredColumns(tb, k, n), split, n, beta, minFlopsPerThread: 1);
                Assert.Equal(alone, split);
                GemmScalar.Multiply(ta, tb, m, n, k, a, b, expected, beta);
                for (int i = 0; i < m * n; i++) Assert.Equal(expected[i], split[i], Tolerance(k));
            }
        }
    }

    [Fact]
    public void Only_deep_products_whose_parts_are_their_depth_blocks_are_cut_by_depth()
    {
        Assert.Equal(2, GemmDriver.DepthBlocks(128, 256, 784));
        Assert.Equal(392, GemmDriver.KcStep(128, 256, 784));
        Assert.Equal(128, GemmDriver.KcStep(128, 128, 256)); // the MLP's second layer: two blocks on any thread count
        Assert.True(GemmDepthSplit.Fits(128, 256, 784, 2, 2));
        Assert.False(GemmDepthSplit.Fits(128, 256, 784, 2, 3)); // a third thread: a part would hold no whole block
        Assert.False(GemmDepthSplit.Fits(128, 256, 784, 2, 1));
        Assert.False(GemmDepthSplit.Fits(512, 256, 784, 2, 2)); // C as large as the operands: cut by rows
        Assert.False(GemmDepthSplit.Fits(128, 128, 3136, 8, 2)); // eight blocks on two threads
        Assert.False(GemmDepthSplit.Fits(1024, 1024, 8192, 21, 21)); // partials past the cache
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Leading_dimensions_select_a_sub_matrix(string kernelName)
    {
        var kernel = KernelNamed(kernelName);
        const int m = 9, n = 21, k = 19, pad = 5;
        foreach (var (ta, tb) in Variants)
        {
            var (a, b) = Operands(m, n, k, seed: 11);
            int aRows = ta == Transpose.No ? m : k, aColumns = ta == Transpose.No ? k : m;
            int bRows = tb == Transpose.No ? k : n, bColumns = tb == Transpose.No ? n : k;
            float[] paddedA = Pad(a, aRows, aColumns, pad), paddedB = Pad(b, bRows, bColumns, pad);
            var c = new float[m * (n + pad)];
            Gemm.Run(kernel, 1, ta, tb, m, n, k, paddedA, aColumns + pad, paddedB, bColumns + pad, c, n + pad, 0f);
            var expected = new float[m * n];
            GemmScalar.Multiply(ta, tb, m, n, k, a, b, expected);
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n + pad; j++)
                Assert.Equal(j < n ? expected[i * n + j] : 0f, c[i * (n + pad) + j], Tolerance(k));
        }
    }

    [Fact]
    public unsafe void Pointer_and_span_entries_agree()
    {
        var (a, b) = Operands(20, 40, 30, seed: 5);
        float[] bySpan = new float[20 * 40], byPointer = new float[20 * 40];
        Gemm.Multiply(Transpose.Yes, Transpose.No, 20, 40, 30, a, b, bySpan);
        fixed (float* pa = a, pb = b, pc = byPointer)
            Gemm.Multiply(Transpose.Yes, Transpose.No, 20, 40, 30, pa, pb, pc);
        Assert.Equal(bySpan, byPointer);
    }

    [Fact]
    public void Short_buffers_and_bad_sizes_are_named()
    {
        var small = new float[5];
        var big = new float[100];
        Assert.Equal("gemm: Aᵀ must hold 3x4=12 values, got 5",
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.Yes, Transpose.No, 3, 4, 4, small, big, big)).Message);
        Assert.Equal("gemm: B must hold 4x4=16 values, got 5",
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 4, 4, big, small, big)).Message);
        Assert.Equal("gemm: C must hold 3x4=12 values, got 5",
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 4, 4, big, big, small)).Message);
        Assert.Contains("got m=3 n=-1 k=4",
            Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, -1, 4, big, big, big)).Message);
        Assert.Contains("lda must be at least 4 (the stored columns of A), got 3",
            Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 4, 4, big, 3, big, 4, big, 4)).Message);
        Assert.Equal("gemm: Bᵀ stored as 4x4 with ldb=10 needs 34 values, got 5",
            Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.Yes, 3, 4, 4, big, 4, small, 10, big, 4)).Message);
    }

    private static float[] MultiplyWithThreads(GemmKernel kernel, Transpose ta, Transpose tb, int m, int n, int k, float[] a, float[] b, int threads)
    {
        var c = new float[m * n];
        Gemm.Run(kernel, threads, ta, tb, m, n, k, a, Gemm.StoredColumns(ta, m, k), b, Gemm.StoredColumns(tb, k, n), c, n, 0f,
            minFlopsPerThread: 1);
        return c;
    }

    private static void CheckAgainstOracle(GemmKernel kernel, Transpose ta, Transpose tb, int m, int n, int k, float beta, int threads)
    {
        var (a, b) = Operands(m, n, k, seed: (ulong)(m * 7919 + n * 31 + k));
        var initial = new float[m * n];
        new RandomGenerator(99).FillUniform(initial, -1, 1);
        float[] actual = (float[])initial.Clone(), expected = (float[])initial.Clone();
        Gemm.Run(kernel, threads, ta, tb, m, n, k, a, Gemm.StoredColumns(ta, m, k), b, Gemm.StoredColumns(tb, k, n), actual, n, beta);
        GemmScalar.Multiply(ta, tb, m, n, k, a, b, expected, beta);
        for (int i = 0; i < m * n; i++)
            if (Math.Abs(actual[i] - expected[i]) > Tolerance(k))
                Assert.Fail($"{kernel} {ta}/{tb} {m}x{n}x{k} beta={beta}: C[{i / n},{i % n}] = {actual[i]}, oracle {expected[i]}");
    }

    /// <summary>Float rounding over k products of values in [-1, 1], with room for beta·C.</summary>
    private static float Tolerance(int k) => 2e-6f * (k + 4);

    private static (float[] A, float[] B) Operands(int m, int n, int k, ulong seed)
    {
        var random = new RandomGenerator(seed);
        float[] a = new float[m * k], b = new float[k * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);
        return (a, b);
    }

    private static float[] Pad(float[] matrix, int rows, int columns, int pad)
    {
        var padded = Enumerable.Repeat(float.NaN, rows * (columns + pad)).ToArray();
        for (int i = 0; i < rows; i++)
            Array.Copy(matrix, i * columns, padded, i * (columns + pad), columns);
        return padded;
    }
}
