namespace Sparta.Tensors;

/// <summary>
/// Storage handed out again call after call. While an arena is in use on a thread, the n-th tensor
/// that thread creates with <see cref="Tensor.Zeros(Shape)"/> or <see cref="Tensor.Uninitialized"/>
/// gets the arena's n-th buffer, so a computation that asks for the same sizes in the same order each
/// time (a forward pass at one input shape) allocates on its first call only and never again. A
/// request of another size replaces that buffer (the plan follows a new input shape by itself).
/// Every tensor made in one use is overwritten by the next: only for work whose results are copied
/// out before the arena is used again.
/// </summary>
public sealed class TensorArena
{
    [ThreadStatic] private static TensorArena? _current;

    private readonly List<TensorStorage> _buffers = [];
    private int _next;
    private bool _inUse;

    /// <summary>The buffers held (one per tensor the last use created).</summary>
    public int BufferCount => _buffers.Count;

    /// <summary>Floats held across all buffers.</summary>
    public long Length => _buffers.Sum(b => (long)b.Length);

    /// <summary>Makes this arena the current thread's source of storage until the scope is disposed; uses do not nest.</summary>
    public Scope Use()
    {
        if (_inUse) throw new InvalidOperationException("tensor arena: already in use (an arena serves one computation at a time)");
        _inUse = true;
        _next = 0;
        var previous = _current;
        _current = this;
        return new Scope(this, previous);
    }

    /// <summary>Storage for a new tensor: from the current arena when one is in use, else from the current pool, else freshly allocated.</summary>
    internal static TensorStorage Allocate(int length, bool clear) =>
        _current is { } arena ? arena.Take(length, clear)
        : TensorPool.Current is { } pool ? pool.Take(length, clear)
        : new TensorStorage(length, clear);

    private TensorStorage Take(int length, bool clear)
    {
        int index = _next++;
        if (index < _buffers.Count && _buffers[index].Length == length)
        {
            var reused = _buffers[index];
            if (clear) reused.Span.Clear();
            return reused;
        }
        var storage = new TensorStorage(length, clear);
        if (index < _buffers.Count) _buffers[index] = storage;
        else _buffers.Add(storage);
        return storage;
    }

    public readonly struct Scope : IDisposable
    {
        private readonly TensorArena _arena;
        private readonly TensorArena? _previous;

        internal Scope(TensorArena arena, TensorArena? previous)
        {
            _arena = arena;
            _previous = previous;
        }

        public void Dispose()
        {
            _arena._inUse = false;
            _current = _previous;
        }
    }
}
