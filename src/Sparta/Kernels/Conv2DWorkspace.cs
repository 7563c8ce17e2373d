using Sparta.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// Scratch memory for <see cref="Conv2D"/>: one im2col matrix per worker thread and one
/// weight-gradient partial sum per batch chunk. Buffers grow on first use for a larger shape,
/// batch or thread count and are then reused, so a training step allocates nothing. One workspace
/// serves one call at a time; a layer keeps its own.
/// </summary>
public sealed unsafe class Conv2DWorkspace : IDisposable
{
    private readonly List<TensorStorage> _columns = new();
    private TensorStorage? _partials;

    /// <summary>Pointer to worker <paramref name="worker"/>'s buffer of at least <paramref name="length"/> floats.</summary>
    internal float* Columns(int worker, int length)
    {
        while (_columns.Count <= worker) _columns.Add(new TensorStorage(length, clear: false));
        if (_columns[worker].Length < length)
        {
            _columns[worker].Dispose();
            _columns[worker] = new TensorStorage(length, clear: false);
        }
        return _columns[worker].Pointer;
    }

    /// <summary>Makes sure workers [0, <paramref name="workers"/>) have column buffers before threads start, so no two threads grow the list at once.</summary>
    internal void ReserveColumns(int workers, int length)
    {
        for (int w = 0; w < workers; w++) Columns(w, length);
    }

    /// <summary>Pointer to <paramref name="length"/> floats for the per-chunk partial sums.</summary>
    internal float* Partials(int length)
    {
        if (_partials is null || _partials.Length < length)
        {
            _partials?.Dispose();
            _partials = new TensorStorage(length, clear: false);
        }
        return _partials.Pointer;
    }

    public void Dispose()
    {
        foreach (var buffer in _columns) buffer.Dispose();
        _columns.Clear();
        _partials?.Dispose();
        _partials = null;
    }
}
