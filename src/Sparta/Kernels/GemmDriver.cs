namespace Sparta.Kernels;

/// <summary>
/// A matrix operand as the driver sees it: element (row, column) of op(X) is at
/// <c>Data[row·RowStride + column·ColumnStride]</c>; one of the strides is 1.
/// </summary>
internal readonly unsafe struct GemmOperand(float* data, nint rowStride, nint columnStride)
{
    public readonly float* Data = data;
    public readonly nint RowStride = rowStride, ColumnStride = columnStride;

    public static GemmOperand Of(float* data, Transpose transpose, nint ld)
        => transpose == Transpose.No ? new(data, ld, 1) : new(data, 1, ld);

    public float* At(int row, int column) => Data + row * RowStride + column * ColumnStride;
}

/// <summary>
/// BLIS-style cache blocking around a micro-kernel. For each block of rows of C and each depth
/// block of KC steps, A's block is packed once (it streams from L3, one Mr×KC panel at a time
/// staying in L1); for each block of NB columns, B's KC×NB block is packed into L2; the
/// micro-kernel then walks the tiles. Threads take disjoint ranges of C's rows or columns, cut on
/// tile boundaries, or each one depth block (<see cref="GemmDepthSplit"/>), and each element sums its
/// depth blocks in order, so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>
    /// Depth of a block: an A panel (12×KC floats, 18 KB) fits L1 beside the B panel streaming by. 392 rather
    /// than a rounder 384 so that a 28×28 image's 784 inputs fall in two blocks, one a thread when the
    /// depth is split (<see cref="GemmDepthSplit"/>); the 384 of earlier builds cut them in three.
    /// </summary>
    private const int KcMax = 392;

    /// <summary>Columns of a packed B block: KC×NB floats (768 KB) stay in L2 while every row panel of A passes.</summary>
    private const int NbMax = 512;

    /// <summary>Rows of a packed A block (2.3 MB): B's block is packed once per this many rows.</summary>
    private const int MbMax = 1536;

    /// <summary>
    /// Up to this many rows of C, the AVX-512 kernel reads B's full-width panels where they lie, unpacked.
    /// The AVX2 kernel always packs: on Zen 3 the vector pack costs less than the cache-set conflicts of
    /// reading 16 floats a step from rows kilobytes apart (the packed path ran 10-25 % faster at every
    /// shape measured, 128×256×784 included).
    /// </summary>
    private const int InPlaceBMaxRows = 128;

    /// <summary>
    /// Handing a part to a worker of the team, which spins between a step's calls, costs a few microseconds,
    /// so a GEMM splits from about 0.4 MFLOP: every GEMM of the MLP example but its 10-unit output layer's
    /// (128×128 by 128×10 and its two gradients, 0.33 MFLOP each). Split, those three took 31 µs a step where
    /// the two processors share a cache and 63 µs where they do not (each part reads the other's half of a
    /// 128×128 activation or gradient), against 38 µs on the caller alone.
    /// </summary>
    public const double MinFlopsPerThread = 2e5;

    /// <summary>Tests lower <paramref name="minFlopsPerThread"/> to split small problems too.</summary>
    public static void Multiply(GemmKernel kernel, GemmOperand a, GemmOperand b, float* c, nint ldc,
        int m, int n, int k, float beta, int threads, double minFlopsPerThread = MinFlopsPerThread)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            ScaleOnly(c, ldc, m, n, beta);
            return;
        }
        int mr = kernel.Mr, nr = kernel.Nr;
        int rowTiles = (m + mr - 1) / mr, columnTiles = (n + nr - 1) / nr;
        int parts = (int)Math.Min(threads, 2.0 * m * n * k / minFlopsPerThread);
        int kcStep = KcStep(m, n, k);
        if (GemmDepthSplit.Fits(m, n, k, DepthBlocks(m, n, k), parts))
        {
            GemmDepthSplit.Multiply(kernel, a, b, c, ldc, m, n, k, kcStep, beta);
            return;
        }
        // Each part packs its own copy of the operand the split does not cut: duplicate the smaller one.
        bool splitColumns = m <= n;
        parts = Math.Max(1, Math.Min(parts, splitColumns ? columnTiles : rowTiles));
        if (parts == 1) Block(kernel, a, b, c, ldc, 0, m, 0, n, 0, k, kcStep, beta);
        else if (splitColumns) MultiplyInParts(kernel, a, b, (nint)c, ldc, m, n, k, beta, parts, splitColumns, columnTiles, nr);
        else MultiplyInParts(kernel, a, b, (nint)c, ldc, m, n, k, beta, parts, splitColumns, rowTiles, mr);
    }

    /// <summary>
    /// <see cref="Multiply"/> cut into <paramref name="parts"/> ranges of C's columns or rows (<paramref name="tiles"/>
    /// tiles of <paramref name="tile"/>), one a part: part p takes tiles [p·tiles/parts, (p + 1)·tiles/parts). The work is
    /// a struct the split keeps on the thread (<see cref="RangeSplit{TBody}"/>), so a split call allocates nothing.
    /// </summary>
    private static void MultiplyInParts(GemmKernel kernel, GemmOperand a, GemmOperand b, nint cAddress, nint ldc,
        int m, int n, int k, float beta, int parts, bool splitColumns, int tiles, int tile) =>
        RangeSplit<TilesOfC>.Run(new TilesOfC(kernel, a, b, cAddress, ldc, m, n, k, beta, splitColumns, tile), tiles, 1, parts);

    /// <summary>The product over tiles [start, end) of C's columns (or rows).</summary>
    private readonly struct TilesOfC(GemmKernel kernel, GemmOperand a, GemmOperand b, nint cAddress, nint ldc,
        int m, int n, int k, float beta, bool splitColumns, int tile) : IRangeBody
    {
        public void Run(int start, int end)
        {
            int first = start * tile, last = end * tile;
            if (splitColumns)
                Block(kernel, a, b, (float*)cAddress, ldc, 0, m, first, Math.Min(last, n), 0, k, KcStep(m, n, k), beta);
            else
                Block(kernel, a, b, (float*)cAddress, ldc, first, Math.Min(last, m), 0, n, 0, k, KcStep(m, n, k), beta);
        }
    }

    /// <summary>
    /// How many depth blocks an m×n product of depth <paramref name="k"/> takes: the fewest of at most <see cref="KcMax"/>
    /// steps, and at least two of <see cref="MinSplitDepth"/> or more when the depth is at least twice C's rows and
    /// columns, on any thread count: such a product can then be cut by depth between two threads
    /// (<see cref="GemmDepthSplit"/>), each multiplying the rows of B its optimizer update writes (the MLP's second
    /// layer, 128×256 by 256×128), and one thread sums the same blocks in the same order.
    /// </summary>
    internal static int DepthBlocks(int m, int n, int k)
    {
        int blocks = Math.Max(1, (k + KcMax - 1) / KcMax);
        return blocks == 1 && k >= 2 * MinSplitDepth && k >= 2L * Math.Max(m, n) ? 2 : blocks;
    }

    /// <summary>The shallowest depth block a product is cut into for the threads' sake (<see cref="DepthBlocks"/>).</summary>
    private const int MinSplitDepth = 128;

    /// <summary>The steps of each depth block but the last (which may be shorter): the depth cut evenly.</summary>
    internal static int KcStep(int m, int n, int k) => (k + DepthBlocks(m, n, k) - 1) / DepthBlocks(m, n, k);

    /// <summary>
    /// C[rowStart..rowEnd, columnStart..columnEnd] = op(A)·op(B)[depthStart..depthEnd] + beta·C on the calling thread,
    /// over the depth blocks of <paramref name="kcStep"/> steps from <paramref name="depthStart"/> (a block boundary).
    /// </summary>
    internal static void Block(GemmKernel kernel, GemmOperand a, GemmOperand b, float* c, nint ldc,
        int rowStart, int rowEnd, int columnStart, int columnEnd, int depthStart, int depthEnd, int kcStep, float beta)
    {
        int mr = kernel.Mr, nr = kernel.Nr;
        bool avx512 = kernel.PacksWithAvx512;
        if (rowEnd - rowStart < mr && GemmRows.Matches(kernel))
        {
            GemmRows.Multiply(a, b, c, ldc, rowStart, rowEnd, columnStart, columnEnd, depthStart, depthEnd, kcStep, beta);
            return;
        }
        int mb = Math.Min(MbMax / mr * mr, RoundUp(rowEnd - rowStart, mr));
        int nb = Math.Min(NbMax / nr * nr, RoundUp(columnEnd - columnStart, nr));
        // Slack after each packed block: the AVX-512 packs write whole 16-lane rows (see GemmPacking).
        nint aFloats = (nint)mb * kcStep + 16, bFloats = (nint)nb * kcStep + 16;
        float* packedA = GemmBuffers.ForCurrentThread((nuint)(aFloats + bFloats + mr * nr));
        float* packedB = packedA + aFloats;
        float* edgeTile = packedB + bFloats;
        // Packing B pays off when many rows reuse it; for few rows, reading B's rows in place is cheaper.
        bool readBInPlace = avx512 && b.ColumnStride == 1 && rowEnd - rowStart <= InPlaceBMaxRows;

        for (int ic = rowStart; ic < rowEnd; ic += mb)
        {
            int rows = Math.Min(mb, rowEnd - ic);
            for (int p0 = depthStart; p0 < depthEnd; p0 += kcStep)
            {
                int kc = Math.Min(kcStep, depthEnd - p0);
                TileUpdate update = p0 > depthStart || beta == 1f ? TileUpdate.Accumulate
                    : beta == 0f ? TileUpdate.Overwrite : TileUpdate.Scale;
                for (int ir = 0; ir < rows; ir += mr)
                    PackPanel(a, ic + ir, Math.Min(mr, rows - ir), p0, kc, packedA + ir * kc, mr, avx512);
                for (int jc = columnStart; jc < columnEnd; jc += nb)
                {
                    int columns = Math.Min(nb, columnEnd - jc);
                    for (int jr = 0; jr < columns; jr += nr)
                        if (!(readBInPlace && jr + nr <= columns))
                            PackPanel(Transposed(b), jc + jr, Math.Min(nr, columns - jr), p0, kc, packedB + jr * kc, nr, avx512);
                    for (int ir = 0; ir < rows; ir += mr)
                    for (int jr = 0; jr < columns; jr += nr)
                    {
                        float* tile = c + (ic + ir) * ldc + jc + jr;
                        int tileRows = Math.Min(mr, rows - ir), tileColumns = Math.Min(nr, columns - jr);
                        bool inPlace = readBInPlace && tileColumns == nr;
                        float* panelB = inPlace ? b.At(p0, jc + jr) : packedB + jr * kc;
                        nint strideB = inPlace ? b.RowStride : nr;
                        if (tileRows == mr && tileColumns == nr)
                        {
                            kernel.Multiply(kc, packedA + ir * kc, panelB, strideB, tile, ldc, update, beta);
                        }
                        else
                        {
                            kernel.Multiply(kc, packedA + ir * kc, panelB, strideB, edgeTile, nr, TileUpdate.Overwrite, 0f);
                            GemmTile.Fold(edgeTile, nr, tileRows, tileColumns, tile, ldc, update, beta);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows [row, row+lanes) × depth [p0, p0+kc) of op(X) as a panel whose lanes are the
    /// rows (for B, pass its transpose: the lanes are then B's columns).
    /// </summary>
    private static void PackPanel(GemmOperand x, int row, int lanes, int p0, int kc, float* dst, int width, bool avx512)
    {
        float* src = x.At(row, p0);
        if (x.ColumnStride == 1)
            GemmPacking.PanelAlong(src, x.RowStride, lanes, kc, dst, width, avx512);
        else
            GemmPacking.PanelAcross(src, x.ColumnStride, lanes, kc, dst, width, avx512);
    }

    private static GemmOperand Transposed(GemmOperand x) => new(x.Data, x.ColumnStride, x.RowStride);

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static void ScaleOnly(float* c, nint ldc, int m, int n, float beta)
    {
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            c[i * ldc + j] = beta == 0f ? 0f : beta * c[i * ldc + j];
    }
}
