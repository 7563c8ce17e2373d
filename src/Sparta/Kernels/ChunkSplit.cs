namespace Sparta.Kernels;

/// <summary>
/// A split <see cref="ConvBatchChunks.Run{TBody}"/> call of <typeparamref name="TBody"/>, as <see cref="RangeSplit{TBody}"/>
/// does for ranges: the body is copied into an object kept on the calling thread and reused by its next call,
/// whose part delegate is made once, so a convolution's split allocates nothing. A call of the same body type
/// made while one is running on the thread takes an object of its own.
/// </summary>
internal sealed class ChunkSplit<TBody> where TBody : struct, IChunkBody
{
    [ThreadStatic] private static ChunkSplit<TBody>? _spare;

    private readonly Action<int> _part;
    private TBody _body;
    private ConvBatchChunks _chunks;
    private int _next; // the next chunk not yet claimed, shared by the workers

    private ChunkSplit() => _part = RunPart;

    public static void Run(ConvBatchChunks chunks, in TBody body)
    {
        var split = _spare ?? new ChunkSplit<TBody>();
        _spare = null;
        split._body = body;
        split._chunks = chunks;
        split._next = 0;
        try { Parallelism.ForEachPart(chunks.Workers, split._part); }
        finally
        {
            split._body = default; // nothing of the call is kept alive
            _spare = split;
        }
    }

    private void RunPart(int worker)
    {
        for (int chunk, count = _chunks.Count; (chunk = Interlocked.Increment(ref _next) - 1) < count;) _chunks.RunChunk(chunk, worker, _body);
    }
}
