namespace Sparta.Kernels;

/// <summary>
/// The work of one <see cref="ConvBatchChunks.Run{TBody}"/> call: a struct holding the call's pointers and
/// arguments, run for each chunk (its index, first sample, sample count and the worker running it). It must
/// not change its own fields: every worker runs the same copy.
/// </summary>
internal interface IChunkBody
{
    void Run(int chunk, int start, int count, int worker);
}

/// <summary>
/// Splits a batch into chunks of a fixed number of samples and hands them to worker threads.
/// The chunk boundaries depend only on the batch size and the convolution's output size, never on
/// the thread count, so every per-chunk partial result (and the fixed-order sum of them) is the
/// same for any thread count.
/// </summary>
internal readonly record struct ConvBatchChunks
{
    /// <summary>
    /// Columns (samples × output pixels) a chunk's GEMMs get, at least, when the batch allows: wide
    /// enough for the GEMM's full speed, while a chunk's im2col matrix stays small (a 299×299 image's
    /// second convolution already has 147×147 columns: one sample a chunk). A fixed number of samples
    /// would not do: deep layers have few pixels (ResNet's last stage at 64x64: 2x2), and four samples
    /// there give GEMMs 16 columns wide, half as fast as 128, with the weights packed again for every chunk.
    /// </summary>
    public const int MinColumns = 2048;

    private ConvBatchChunks(int batch, int samplesPerChunk)
    {
        Batch = batch;
        SamplesPerChunk = samplesPerChunk;
        // Read once: the buffers reserved for the workers and the parts run must agree, even when the
        // thread count is changed on another thread in between.
        Workers = Math.Max(1, Math.Min(Parallelism.ThreadCount, Count));
    }

    public int Batch { get; }
    public int SamplesPerChunk { get; }

    /// <summary>
    /// Output pixels a chunk of the channels-blocked kernels gets, at least: they run sample by sample,
    /// so a chunk need not be wide for speed, and small chunks let two threads finish together (the
    /// Fashion-MNIST CNN's second convolution: 43 chunks of 3 samples of a batch of 128, not 12 of 11).
    /// </summary>
    public const int MinBlockedPixels = 512;

    /// <summary>The chunks of a convolution producing <paramref name="outPixels"/> pixels per sample and channel.</summary>
    public static ConvBatchChunks For(int batch, int outPixels) => For(batch, outPixels, MinColumns);

    /// <summary>The chunks of a convolution the channels-blocked kernels run sample by sample (<see cref="MinBlockedPixels"/>).</summary>
    public static ConvBatchChunks ForBlocked(int batch, int outPixels) => For(batch, outPixels, MinBlockedPixels);

    private static ConvBatchChunks For(int batch, int outPixels, int minPixels) =>
        new(batch, Math.Max(1, (minPixels + outPixels - 1) / Math.Max(1, outPixels)));

    public int Count => (Batch + SamplesPerChunk - 1) / SamplesPerChunk;

    /// <summary>Samples in the largest chunk.</summary>
    public int LargestChunk => Math.Min(Batch, SamplesPerChunk);

    /// <summary>Worker threads used: never more than there are chunks.</summary>
    public int Workers { get; }

    /// <summary>
    /// Runs <paramref name="body"/> for every chunk: each worker claims the next chunk not yet taken
    /// until none is left, so a worker slowed down (a core shared with another process, a chunk of more
    /// samples) leaves its share to the others instead of holding them up. What a chunk computes depends
    /// on the chunk alone, never on its worker. The body is a struct, so the split allocates nothing.
    /// </summary>
    public void Run<TBody>(in TBody body) where TBody : struct, IChunkBody
    {
        if (Workers == 1)
        {
            for (int chunk = 0, chunks = Count; chunk < chunks; chunk++) RunChunk(chunk, 0, body);
            return;
        }
        ChunkSplit<TBody>.Run(this, body);
    }

    internal void RunChunk<TBody>(int chunk, int worker, in TBody body) where TBody : struct, IChunkBody
    {
        int start = chunk * SamplesPerChunk;
        body.Run(chunk, start, Math.Min(SamplesPerChunk, Batch - start), worker);
    }
}
