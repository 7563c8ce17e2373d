namespace Sparta.Kernels;

/// <summary>
/// A split <see cref="ConvBatchChunks.Run{TBody}"/> call of <typeparamref name="TBody"/> (<see cref="KeptSplit{TSelf}"/>),
/// as <see cref="RangeSplit{TBody}"/> does for ranges: a convolution's split allocates nothing. The workers claim
/// chunks in turn; each chunk's work and where it writes do not depend on which worker runs it.
/// </summary>
internal sealed class ChunkSplit<TBody> : KeptSplit<ChunkSplit<TBody>> where TBody : struct, IChunkBody
{
    private TBody _body;
    private ConvBatchChunks _chunks;
    private int _next; // the next chunk not yet claimed, shared by the workers

    public static void Run(ConvBatchChunks chunks, in TBody body)
    {
        var split = Take();
        split._body = body;
        split._chunks = chunks;
        split._next = 0;
        split.RunParts(chunks.Workers);
    }

    protected override void RunPart(int worker)
    {
        for (int chunk, count = _chunks.Count; (chunk = Interlocked.Increment(ref _next) - 1) < count;) _chunks.RunChunk(chunk, worker, _body);
    }

    protected override void Forget() => _body = default;
}
