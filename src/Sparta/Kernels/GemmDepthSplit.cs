using System.Numerics.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// A product cut between the threads by its depth, one depth block a part: part 0 folds block 0 into C (with
/// beta), part p writes block p's products into a partial of its own, then C adds the partials in block order,
/// C + P1 + P2 …, its rows shared out. One thread computes the same sums in the same order (a block after the
/// first folds as C + its products, <see cref="TileUpdate.Accumulate"/>), so the bits do not depend on the thread
/// count.
/// <para>
/// Why: the MLP's first layer, x·W (128×784 by 784×256). Cut by C's columns, each thread read a column half of every
/// row of W, and half of those rows the other thread's optimizer update had just written (an update cuts W by rows).
/// On cores that share no cache, each such line crossed between them twice a step: read by the product, then taken
/// back by the next update. Cut by depth, each thread reads the rows of W (and columns of x) whose update and
/// gradient rows are its own; what crosses is half of the 128×256 partial.
/// </para>
/// </summary>
internal static unsafe class GemmDepthSplit
{
    /// <summary>Partials beyond this many floats would not stay in cache until their sum.</summary>
    private const long MaxPartialFloats = 1 << 20;

    /// <summary>
    /// Whether to cut the product by depth: when the parts are exactly its depth blocks (a part of several blocks,
    /// summed apart, would change the bits), and the depth is at least twice C's rows and columns, so that the
    /// partials' sum (m·n a part) costs less than each thread reading the whole of one operand.
    /// </summary>
    public static bool Fits(int m, int n, int k, int depthBlocks, int parts) =>
        depthBlocks > 1 && parts == depthBlocks && k >= 2L * Math.Max(m, n)
        && (long)(depthBlocks - 1) * m * n <= MaxPartialFloats;

    /// <summary>C = op(A)·op(B) + beta·C over <paramref name="k"/> cut in blocks of <paramref name="kcStep"/>, one a part.</summary>
    public static void Multiply(GemmKernel kernel, GemmOperand a, GemmOperand b, float* c, nint ldc,
        int m, int n, int k, int kcStep, float beta)
    {
        int blocks = (k + kcStep - 1) / kcStep;
        float* partials = GemmBuffers.PartialsForCurrentThread((nuint)((long)(blocks - 1) * m * n));
        // The sum's rows are cut on whole row tiles (as a product cut by rows is), so a thread's rows of C are the rows
        // its next passes over them take.
        int half = blocks == 2 ? RowCut(m, kernel.Mr) : 0;
        bool swapHalves = blocks == 2 && beta == 0f;
        RangeSplit<DepthBlock>.Run(new DepthBlock(kernel, a, b, (nint)c, ldc, (nint)partials, m, n, k, kcStep, beta, swapHalves ? half : 0),
            blocks, 1, blocks);
        RangeSplit<PartialSum>.Run(new PartialSum((nint)c, ldc, (nint)partials, m, n, blocks - 1), m, kernel.Mr, blocks);
    }

    /// <summary>Where <see cref="RangeSplit{TBody}"/> cuts <paramref name="m"/> rows in two on multiples of <paramref name="mr"/>.</summary>
    private static int RowCut(int m, int mr) => Math.Min(m, (m + mr - 1) / mr / 2 * mr);

    /// <summary>
    /// Depth blocks [start, end): block 0 into C, any other into its partial (m×n, rows n apart). With two blocks and no
    /// beta·C to fold, block 1 writes C's rows from <paramref name="swapFrom"/> on and block 0 those rows of the partial
    /// instead: each block's part then writes the rows of C the sum's part on its thread adds into (the worker's rows
    /// no longer written by the caller's block first), and b1 + b0 is b0 + b1 to the bit. 0: no swap.
    /// </summary>
    private readonly struct DepthBlock(GemmKernel kernel, GemmOperand a, GemmOperand b, nint c, nint ldc, nint partials,
        int m, int n, int k, int kcStep, float beta, int swapFrom) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int block = start; block < end; block++)
            {
                int depthStart = block * kcStep, depthEnd = Math.Min(k, depthStart + kcStep);
                if (swapFrom > 0)
                {
                    var (top, topStride, bottom, bottomStride) = block == 0 ? (c, ldc, partials, (nint)n) : (partials, (nint)n, c, ldc);
                    GemmDriver.Block(kernel, a, b, (float*)top, topStride, 0, swapFrom, 0, n, depthStart, depthEnd, kcStep, 0f);
                    GemmDriver.Block(kernel, a, b, (float*)bottom, bottomStride, swapFrom, m, 0, n, depthStart, depthEnd, kcStep, 0f);
                }
                else if (block == 0)
                    GemmDriver.Block(kernel, a, b, (float*)c, ldc, 0, m, 0, n, depthStart, depthEnd, kcStep, beta);
                else
                    GemmDriver.Block(kernel, a, b, (float*)partials + (long)(block - 1) * m * n, n, 0, m, 0, n, depthStart, depthEnd, kcStep, 0f);
            }
        }
    }

    /// <summary>Rows [start, end) of C plus each of the <paramref name="count"/> partials, in block order.</summary>
    private readonly struct PartialSum(nint c, nint ldc, nint partials, int m, int n, int count) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                var row = new Span<float>((float*)c + i * ldc, n);
                for (int p = 0; p < count; p++)
                    TensorPrimitives.Add(row, new ReadOnlySpan<float>((float*)partials + ((long)p * m + i) * n, n), row);
            }
        }
    }
}
