namespace Sparta.Tensors;

/// <summary>
/// Buffers of a training loop handed back and handed out again, so later steps allocate (and the
/// process page-faults) far less than the first, and a buffer is reusable the moment backward is
/// done with it instead of when the garbage collector next collects its generation. While a pool
/// is in use on a thread, every tensor that thread creates takes a block of one of the pool's
/// chunks (large pinned arrays): the front of the shortest free range that holds it, or a new chunk
/// (a small tensor takes an array of its length given back before, see <see cref="MinimumLength"/>).
/// A block given back merges with the free ranges beside it, so the memory a step's forward pass
/// held is whole again for the next, whatever lengths its tensors have: the pool stays near the most
/// the step holds at once (buffers kept by exact length held far more, the lengths a step asks for
/// peaking at different times). Buffers come back only from <see cref="Autograd.Tape.Backward"/> with
/// <c>retainGraph: false</c>: the gradients it is done with and, after an op's backward has run,
/// that op's output, when the pool lent it during the current step (<see cref="NextStep"/>) and
/// it was not <see cref="Keep">kept</see>; the backward's output and the kept tensors come back at the
/// next step. So inside a step, a tensor of the graph other than the backward's output and the kept
/// ones must not be read after backward, and none of them after the step: the trainer's contract.
/// The tensor objects (and buffers' storage objects) come back with them and serve the next tensors,
/// so a step after the first allocates none: an object read against the contract may by then stand
/// for another tensor.
/// </summary>
public sealed class TensorPool
{
    /// <summary>
    /// Below this many floats a buffer is no block of a chunk but an array of its own, kept by its length
    /// once given back (a step's biases' gradients and its small layers' outputs: the MLP's logits and
    /// their gradient come back every step at the same lengths). Arrays never given back go to the
    /// collector as before, so a small tensor read after backward costs the pool nothing.
    /// </summary>
    internal const int MinimumLength = 4096;

    /// <summary>
    /// Small arrays kept for one length at most. A new one is made only when none is kept, so those kept never outnumber
    /// the most of that length out at once; the bound only caps a step that holds more (a wide network's last blocks
    /// hold dozens of outputs of one length, Inception v4's more than 32, so a lower bound sent them to the collector every step).
    /// </summary>
    private const int SmallKeptPerLength = 1 << 14;

    /// <summary>The small arrays of one length given back, and the lease under which one of that length was last lent.</summary>
    private sealed class SmallArrays
    {
        public readonly Stack<TensorStorage> Kept = new();
        public long LastTaken;
    }

    /// <summary>
    /// A new chunk is as long as the pool already holds, within these bounds (in floats: 4 and 64 MiB),
    /// or as long as the request: few chunks for a large network, little for a small one.
    /// </summary>
    private const int SmallestChunk = 1 << 20, LargestChunk = 1 << 24;

    /// <summary>Tensor and storage objects kept for reuse at most: more than a step of a large network gives back.</summary>
    private const int SpentObjectsKept = 1 << 14;

    [ThreadStatic] private static TensorPool? _current;

    // Tensor objects a backward found nothing could read again, and storage objects of blocks given back: the next
    // tensors take them, so a step after the first allocates no object for its tensors and buffers.
    private readonly Stack<Tensor> _spentTensors = new();
    private readonly Stack<TensorStorage> _spentBlocks = new();
    // Tensors kept through the step, and whether the buffer under each goes back with it (lent during the step).
    private readonly List<(Tensor Tensor, bool Buffer)> _heldForStep = [];

    private readonly List<PoolChunk> _chunks = [];
    private readonly Dictionary<int, SmallArrays> _small = [];
    private long _lease = 1, _stepLease = 1;
    private bool _inUse;

    /// <summary>The pool in use on this thread, if any.</summary>
    internal static TensorPool? Current => _current;

    /// <summary>Free ranges held (across chunks).</summary>
    public int FreeCount => _chunks.Sum(c => c.FreeRanges);

    /// <summary>Floats held in free ranges.</summary>
    public long FreeLength => _chunks.Sum(c => c.FreeFloats);

    /// <summary>Floats held in chunks, lent and free.</summary>
    public long HeldLength => _chunks.Sum(c => (long)c.Length);

    /// <summary>Chunks newly allocated since the pool was made.</summary>
    public long Allocations { get; private set; }

    /// <summary>Makes this pool the current thread's source of storage until the scope is disposed; uses do not nest.</summary>
    public Scope Use()
    {
        if (_inUse) throw new InvalidOperationException("tensor pool: already in use (a pool serves one training loop at a time)");
        _inUse = true;
        var previous = _current;
        _current = this;
        return new Scope(this, previous);
    }

    /// <summary>
    /// Stops this thread's pool from lending until the scope is disposed: what is made inside outlives every step (an
    /// optimizer's slots, a parameter's gradient), so it takes no block of a chunk and no object the next step's
    /// tensors would have taken back, and the second step finds the pool as the first left it.
    /// </summary>
    internal static AsideScope Aside()
    {
        var pool = _current;
        _current = null;
        return new AsideScope(pool);
    }

    /// <summary>
    /// Starts a step: buffers lent from now on may come back; those lent before may not (a layer may
    /// hold them), and chunks with nothing lent that no step took a block of since the last call are dropped,
    /// as are the small arrays kept of a length no tensor took since then.
    /// </summary>
    public void NextStep()
    {
        TakeBackHeld();
        // A chunk idle through a whole step: the shapes changed (a last, smaller batch). A loop rather than
        // RemoveAll, whose predicate would be a new closure every step.
        for (int i = _chunks.Count - 1; i >= 0; i--)
            if (_chunks[i].IsEmpty && _chunks[i].LastTaken < _stepLease)
            {
                _chunks.RemoveAt(i);
                // A spent storage object would keep the dropped chunk's array alive until lent again.
                _spentBlocks.Clear();
            }
        // Likewise the small arrays of a length no tensor took during the step.
        foreach (var (length, arrays) in _small)
            if (arrays.LastTaken < _stepLease) _small.Remove(length);
        _stepLease = ++_lease;
    }

    /// <summary>Marks the start of a backward pass; buffers lent after it are that backward's own (<see cref="LentSince"/>).</summary>
    internal long BeginBackward() => ++_lease;

    /// <summary>The lease buffers and tensor objects are lent under now.</summary>
    internal long Lease => _lease;

    /// <summary>The lease the current step began with.</summary>
    internal long StepLease => _stepLease;

    /// <summary>
    /// This tensor stays as it is until the next step (the caller reads it after backward, as the trainer reads the
    /// loss); the next <see cref="NextStep"/> takes its object and buffer back when this step made both for it.
    /// </summary>
    public void Keep(Tensor tensor)
    {
        // A view (a loss that bypasses a softmax output is a view of its value) comes back too, with the buffer under it
        // when this step lent that: the tensor it views went back in backward without it.
        if (tensor.Lease >= _stepLease) _heldForStep.Add((tensor, LentThisStep(tensor)));
        tensor.Lease = 0;
        if (tensor.Storage.Pool == this) tensor.Storage.Lease = 0;
    }

    /// <summary>An op's output made off the tape in this step, which no backward sees: the next step takes it back like a <see cref="Keep">kept</see> one.</summary>
    internal void HoldOffTape(Tensor tensor) => Keep(tensor);

    /// <summary>A backward's output, made in this step and read by the caller after it: kept like <see cref="Keep"/>.</summary>
    internal void HoldUntilNextStep(Tensor output) => Keep(output);

    /// <summary>
    /// Makes room among the spent objects for those the next step takes back (<see cref="TakeBackHeld"/>), at the end of a
    /// backward: the first step's, so the stacks grow then, not when the second step begins.
    /// </summary>
    internal void ReserveForHeld()
    {
        _spentTensors.EnsureCapacity(Math.Min(SpentObjectsKept, _spentTensors.Count + _heldForStep.Count));
        _spentBlocks.EnsureCapacity(Math.Min(SpentObjectsKept, _spentBlocks.Count + _heldForStep.Count));
        // A small buffer goes back to the arrays of its length (the loss's, one value).
        foreach (var (tensor, _) in _heldForStep)
            if (tensor.Storage.Chunk is null && _small.TryGetValue(tensor.Storage.Length, out var arrays))
                arrays.Kept.EnsureCapacity(Math.Min(SmallKeptPerLength, arrays.Kept.Count + _heldForStep.Count));
    }

    /// <summary>Takes back the tensors kept through the step that ends: their objects, and the buffers they own.</summary>
    private void TakeBackHeld()
    {
        foreach (var (tensor, buffer) in _heldForStep)
        {
            if (tensor.IsSpent) continue;
            if (buffer && !tensor.Storage.IsFree && tensor.HoldsItsLoan) Return(tensor.Storage);
            tensor.Lease = _stepLease;
            ReturnObject(tensor, _stepLease);
        }
        _heldForStep.Clear();
    }

    /// <summary>A tensor object given back earlier, for a new tensor, or null.</summary>
    internal Tensor? TakeTensor()
    {
        if (!_spentTensors.TryPop(out var tensor)) return null;
        tensor.IsSpent = false;
        return tensor;
    }

    /// <summary>
    /// Takes back a tensor object nothing will read again (a graph's output or gradient a backward is done with),
    /// when the pool lent it at or after <paramref name="since"/>, not as a pending gradient, and it is not back already.
    /// </summary>
    internal void ReturnObject(Tensor tensor, long since)
    {
        if (tensor.Lease < since || tensor.Lease == 0 || tensor.IsSpent || tensor.PendingUses != 0 || _spentTensors.Count >= SpentObjectsKept) return;
        tensor.IsSpent = true;
        // It keeps none of the tensors it referred to alive while it waits.
        (tensor.Node, tensor.Grad, tensor.SoftmaxLogits, tensor.SigmoidLogits) = (null, null, null, null);
        _spentTensors.Push(tensor);
    }

    /// <summary>Whether the tensor's buffer was lent by this pool during the current step and is still out for it.</summary>
    internal bool LentThisStep(Tensor tensor) => LentSince(tensor, _stepLease);

    /// <summary>Whether the tensor's buffer was lent by this pool at or after <paramref name="lease"/> and is still out for it (not lent again since).</summary>
    internal bool LentSince(Tensor tensor, long lease)
    {
        var storage = tensor.Storage;
        return storage.Pool == this && storage.Lease >= lease && !storage.IsFree && tensor.HoldsItsLoan;
    }

    /// <summary>
    /// Gives back a temporary an op made for itself (a buffer of its backward) once it is done with it,
    /// when the current pool lent it in this step; nothing else may hold it or a view of it.
    /// </summary>
    internal static void Recycle(Tensor temporary)
    {
        if (_current is not { } pool) return;
        GiveBackBuffer(temporary);
        pool.ReturnObject(temporary, pool._stepLease);
    }

    /// <summary>Whether the tensor's own buffer went back to a pool (its values are gone; <see cref="GiveBackBuffer"/>).</summary>
    internal static bool WasGivenBack(Tensor tensor) => tensor.OwnsStorage && (tensor.Storage.IsFree || !tensor.HoldsItsLoan);

    /// <summary>
    /// Gives back the buffer of an op's output that nothing will read again, when the current pool lent it in this step; the
    /// tensor object stays, as the graph's record of a shape (<see cref="Models.ModelGraph"/>: an output only a concatenation read).
    /// </summary>
    internal static void GiveBackBuffer(Tensor tensor)
    {
        if (_current is { } pool && tensor.OwnsStorage && pool.LentThisStep(tensor)) pool.Return(tensor.Storage);
    }

    /// <summary>Takes a buffer back; the caller guarantees nothing reads or writes it any more.</summary>
    internal void Return(TensorStorage storage)
    {
        if (storage.Pool != this || storage.IsFree)
            throw new InvalidOperationException("tensor pool: a buffer came back that is not out on loan from this pool");
        storage.IsFree = true;
        if (storage.Chunk is not null)
        {
            storage.Chunk.Give(storage.Offset, BlockLength(storage.Length));
            if (_spentBlocks.Count < SpentObjectsKept) _spentBlocks.Push(storage);
        }
        else KeepSmall(storage);
    }

    internal TensorStorage Take(int length, bool clear)
    {
        if (length < MinimumLength) return TakeSmall(length, clear);
        int block = BlockLength(length);
        var chunk = BestChunk(block) ?? NewChunk(block);
        chunk.LastTaken = _lease;
        int offset = chunk.Take(block);
        TensorStorage storage;
        if (_spentBlocks.TryPop(out var spent))
        {
            spent.Lend(chunk, offset, length);
            storage = Lent(spent);
        }
        else storage = new TensorStorage(chunk, offset, length) { Pool = this, Lease = _lease };
        if (clear) storage.Span.Clear();
        return storage;
    }

    /// <summary>A small array given back at this length if one is kept, else a new one; either is lent like a block.</summary>
    private TensorStorage TakeSmall(int length, bool clear)
    {
        if (!_small.TryGetValue(length, out var arrays)) _small[length] = arrays = new SmallArrays();
        arrays.LastTaken = _lease;
        if (!arrays.Kept.TryPop(out var spent))
            return new TensorStorage(length, clear) { Pool = this, Lease = _lease };
        var storage = Lent(spent);
        if (clear) storage.Span.Clear();
        return storage;
    }

    /// <summary>A storage object given back, lent again under the current lease.</summary>
    private TensorStorage Lent(TensorStorage spent)
    {
        spent.Loan++;
        spent.Lease = _lease;
        spent.IsFree = false;
        return spent;
    }

    /// <summary>Keeps a small array given back, unless its length was dropped (it then goes to the collector) or has enough kept.</summary>
    private void KeepSmall(TensorStorage storage)
    {
        if (_small.TryGetValue(storage.Length, out var arrays) && arrays.Kept.Count < SmallKeptPerLength) arrays.Kept.Push(storage);
    }

    /// <summary>Floats a block of <paramref name="length"/> takes: whole 64-byte lines, so the next block is aligned.</summary>
    private static int BlockLength(int length) => (length + PoolChunk.Granule - 1) / PoolChunk.Granule * PoolChunk.Granule;

    /// <summary>The chunk whose shortest free range that holds <paramref name="block"/> floats is shortest of all (the first on ties).</summary>
    private PoolChunk? BestChunk(int block)
    {
        PoolChunk? best = null;
        int bestFit = int.MaxValue;
        foreach (var chunk in _chunks)
        {
            if (chunk.FreeFloats < block) continue;
            int fit = chunk.BestFit(block);
            if (fit < bestFit) (best, bestFit) = (chunk, fit);
        }
        return best;
    }

    /// <summary>
    /// A chunk for a block no free range holds. Empty chunks too short for it go to the collector
    /// first, when together they are as long, so the new one can take their memory rather than the
    /// process growing by it; only as many as that takes, longest first: the others serve the next
    /// forward pass, which would otherwise allocate them again (and the collector's freed memory,
    /// not yet reused in pieces of the right size, would sit beside the new chunks).
    /// </summary>
    private PoolChunk NewChunk(int block)
    {
        var empty = _chunks.Where(c => c.IsEmpty).OrderByDescending(c => c.Length).ToList();
        if (empty.Sum(c => (long)c.Length) >= block)
        {
            long dropped = 0;
            foreach (var idle in empty.TakeWhile(_ => dropped < block))
            {
                _chunks.Remove(idle);
                dropped += idle.Length;
            }
            _spentBlocks.Clear();
            GC.Collect();
        }
        long held = HeldLength;
        int length = (int)Math.Max(block, Math.Clamp(held, SmallestChunk, LargestChunk));
        var chunk = new PoolChunk(BlockLength(length));
        _chunks.Add(chunk);
        Allocations++;
        return chunk;
    }

    /// <summary>Puts back the pool <see cref="Aside"/> set aside.</summary>
    internal readonly struct AsideScope(TensorPool? pool) : IDisposable
    {
        public void Dispose() => _current = pool;
    }

    public readonly struct Scope : IDisposable
    {
        private readonly TensorPool _pool;
        private readonly TensorPool? _previous;

        internal Scope(TensorPool pool, TensorPool? previous)
        {
            _pool = pool;
            _previous = previous;
        }

        public void Dispose()
        {
            _pool._inUse = false;
            _current = _previous;
        }
    }
}
