namespace Sparta.Kernels;

/// <summary>
/// Splits a batch into chunks of a fixed number of samples and hands them to worker threads.
/// The chunk boundaries depend only on the batch size, never on the thread count, so every
/// per-chunk partial result (and the fixed-order sum of them) is the same for any thread count.
/// </summary>
internal static class ConvBatchChunks
{
    /// <summary>Four samples keep a chunk's im2col matrix within L2 (32·3·3 channels of 14x14: 0.9 MB) while its GEMM stays wide.</summary>
    public const int SamplesPerChunk = 4;

    public static int Count(int batch) => (batch + SamplesPerChunk - 1) / SamplesPerChunk;

    /// <summary>Worker threads used for <paramref name="batch"/>: never more than there are chunks.</summary>
    public static int Workers(int batch) => Math.Max(1, Math.Min(Parallelism.ThreadCount, Count(batch)));

    /// <summary>Runs <paramref name="body"/>(chunk, first sample, sample count, worker) for every chunk; worker w takes chunks w, w+W, ...</summary>
    public static void Run(int batch, Action<int, int, int, int> body)
    {
        int chunks = Count(batch), workers = Workers(batch);
        if (workers == 1)
        {
            for (int chunk = 0; chunk < chunks; chunk++) RunChunk(batch, chunk, 0, body);
            return;
        }
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            for (int chunk = worker; chunk < chunks; chunk += workers) RunChunk(batch, chunk, worker, body);
        });
    }

    private static void RunChunk(int batch, int chunk, int worker, Action<int, int, int, int> body)
    {
        int start = chunk * SamplesPerChunk;
        body(chunk, start, Math.Min(SamplesPerChunk, batch - start), worker);
    }
}
