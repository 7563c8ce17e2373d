namespace Sparta.Tensors;

/// <summary>
/// Buffers of a training loop handed back and handed out again, so later steps allocate (and the
/// process page-faults) far less than the first, and a buffer is reusable the moment backward is
/// done with it instead of when the garbage collector next collects its generation. While a pool
/// is in use on a thread, every tensor that thread creates takes a free buffer of exactly its
/// length (else one at most twice as long), or a new one; when none is free but the free ones add
/// up to as much and the pool already holds half again the most the step had lent at once, the
/// longest idle are given up to the collector first. So a step of fixed shapes allocates nothing
/// once the first steps are behind it, and the pool stays near what the step needs at once. Buffers come back only from <see cref="Autograd.Tape.Backward"/> with
/// <c>retainGraph: false</c>: the gradients it is done with and, after an op's backward has run,
/// that op's output, when the pool lent it during the current step (<see cref="NextStep"/>) and
/// it was not <see cref="Keep">kept</see>. So inside a step, a tensor of the graph other than the
/// backward's output and the kept ones must not be read after backward: the trainer's contract.
/// </summary>
public sealed class TensorPool
{
    /// <summary>Below this many floats a buffer is left to the garbage collector: pooling it saves nothing.</summary>
    internal const int MinimumLength = 4096;

    /// <summary>How far the buffers held (lent and free) may exceed the most ever lent at once before free ones are given up.</summary>
    private const double Headroom = 1.5;

    [ThreadStatic] private static TensorPool? _current;

    private readonly Dictionary<int, Stack<TensorStorage>> _free = [];
    private long _lease = 1, _stepLease = 1, _returns, _freeFloats, _lentFloats, _peakLentFloats;
    private bool _inUse;

    /// <summary>The pool in use on this thread, if any.</summary>
    internal static TensorPool? Current => _current;

    /// <summary>Free buffers held.</summary>
    public int FreeCount => _free.Values.Sum(s => s.Count);

    /// <summary>Floats held in free buffers.</summary>
    public long FreeLength => _freeFloats;

    /// <summary>Buffers newly allocated (not handed out again) since the pool was made.</summary>
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
    /// Starts a step: buffers lent from now on may come back; those lent before may not (a layer may
    /// hold them), and free buffers no step asked for since the last call are dropped.
    /// </summary>
    public void NextStep()
    {
        // A free buffer lent before this step and not asked for again during it: the shapes changed (a last, smaller batch).
        foreach (var (length, stack) in _free.ToList())
            if (stack.Any(s => s.Lease < _stepLease))
            {
                _freeFloats -= (long)length * stack.Count(s => s.Lease < _stepLease);
                _free[length] = new Stack<TensorStorage>(stack.Where(s => s.Lease >= _stepLease).Reverse());
            }
        _stepLease = ++_lease;
    }

    /// <summary>Marks the start of a backward pass; buffers lent after it are that backward's own (<see cref="LentSince"/>).</summary>
    internal long BeginBackward() => ++_lease;

    /// <summary>This tensor's buffer never comes back to the pool (the caller reads it after backward).</summary>
    public void Keep(Tensor tensor)
    {
        if (tensor.Storage.Pool != this || tensor.Storage.Lease == 0) return;
        tensor.Storage.Lease = 0;
        _lentFloats -= tensor.Storage.Length;
    }

    /// <summary>Whether the buffer was lent by this pool during the current step and is still out.</summary>
    internal bool LentThisStep(TensorStorage storage) => storage.Pool == this && storage.Lease >= _stepLease && !storage.IsFree;

    /// <summary>Whether the buffer was lent by this pool at or after <paramref name="lease"/> and is still out.</summary>
    internal bool LentSince(TensorStorage storage, long lease) => storage.Pool == this && storage.Lease >= lease && !storage.IsFree;

    /// <summary>
    /// Gives back a temporary an op made for itself (a buffer of its backward) once it is done with it,
    /// when the current pool lent it in this step; nothing else may hold it or a view of it.
    /// </summary>
    internal static void Recycle(Tensor temporary)
    {
        if (_current is { } pool && temporary.OwnsStorage && pool.LentThisStep(temporary.Storage)) pool.Return(temporary.Storage);
    }

    /// <summary>Takes a buffer back; the caller guarantees nothing reads or writes it any more.</summary>
    internal void Return(TensorStorage storage)
    {
        if (storage.Pool != this || storage.IsFree) throw new InvalidOperationException("tensor pool: a buffer came back that is not out on loan from this pool");
        storage.IsFree = true;
        storage.ReturnedAt = ++_returns;
        _lentFloats -= storage.Length;
        _freeFloats += storage.Length;
        if (!_free.TryGetValue(storage.Length, out var stack)) _free[storage.Length] = stack = new Stack<TensorStorage>();
        stack.Push(storage);
    }

    internal TensorStorage Take(int length, bool clear)
    {
        if (length < MinimumLength) return new TensorStorage(length, clear);
        TensorStorage storage;
        if (FreeStack(length) is { } stack)
        {
            storage = stack.Pop();
            _freeFloats -= storage.Length;
            storage.IsFree = false;
            if (clear) storage.Span.Clear();
        }
        else
        {
            // Buffers are kept by length, and a step's lengths peak at different times (the gradients of
            // the first layers come when every later layer's buffers are free). Rather than grow far past
            // what the step holds at once, give free buffers up (the longest-idle first) and let the
            // collector hand their memory to this one. Within the headroom the pool grows instead: giving
            // up a buffer the next step asks for again would make every step miss.
            if (_freeFloats >= length && _lentFloats + _freeFloats + length > Headroom * Math.Max(_peakLentFloats, _lentFloats + length))
            {
                Evict(length);
                GC.Collect();
            }
            storage = new TensorStorage(length, clear) { Pool = this };
            Allocations++;
        }
        storage.Lease = _lease;
        _lentFloats += storage.Length;
        _peakLentFloats = Math.Max(_peakLentFloats, _lentFloats);
        return storage;
    }

    /// <summary>
    /// The free buffers to lend one from for <paramref name="length"/> floats: those of exactly that length,
    /// else the shortest at most twice as long. A step holding two buffers of one length where the
    /// step before held one and a longer one (a gradient made while the activation of the same shape
    /// is still alive) is served that way, rather than by giving buffers up and allocating again.
    /// </summary>
    private Stack<TensorStorage>? FreeStack(int length)
    {
        if (_free.TryGetValue(length, out var exact) && exact.Count > 0) return exact;
        Stack<TensorStorage>? best = null;
        int bestLength = int.MaxValue;
        foreach (var (candidate, stack) in _free)
            if (candidate > length && candidate / 2 <= length && candidate < bestLength && stack.Count > 0)
                (best, bestLength) = (stack, candidate);
        return best;
    }

    /// <summary>Drops free buffers, the longest back in the pool first, until at least <paramref name="floats"/> are gone.</summary>
    private void Evict(long floats)
    {
        var idle = _free.Values.SelectMany(s => s).OrderBy(s => s.ReturnedAt).ToList();
        var dropped = new HashSet<TensorStorage>(ReferenceEqualityComparer.Instance);
        foreach (var storage in idle)
        {
            if (floats <= 0) break;
            dropped.Add(storage);
            floats -= storage.Length;
            _freeFloats -= storage.Length;
        }
        foreach (var (length, stack) in _free.ToList())
            if (stack.Any(dropped.Contains))
                _free[length] = new Stack<TensorStorage>(stack.Where(s => !dropped.Contains(s)).Reverse());
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
