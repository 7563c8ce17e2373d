using Sparta.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// Scratch memory for <see cref="Conv2DKernel"/>: per worker thread, the im2col matrix of a batch chunk
/// and a staging matrix for the chunk's outputs or output gradients; and one weight-gradient partial
/// sum per chunk. Buffers grow on first use for a larger shape, batch or thread count and are then
/// reused, so a training step allocates nothing. One workspace serves one call at a time; a layer
/// keeps its own.
/// </summary>
internal sealed unsafe class Conv2DWorkspace : IDisposable
{
    private readonly List<TensorStorage> _columns = new();
    private readonly List<TensorStorage> _staging = new();
    private TensorStorage? _partials;
    private int[] _offsets = [];
    private float[] _flipped = [];
    private readonly Dictionary<(Conv2DShape, int), Conv2DPackedWeights> _inputGradientWeights = [];

    /// <summary>Grows the buffers of workers [0, <paramref name="workers"/>) before threads start, so no two threads grow the lists at once.</summary>
    internal void Reserve(int workers, int columnsLength, int stagingLength)
    {
        for (int w = 0; w < workers; w++)
        {
            Grow(_columns, w, columnsLength);
            Grow(_staging, w, stagingLength);
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s im2col buffer, as large as the last <see cref="Reserve"/> asked.</summary>
    internal float* Columns(int worker) => _columns[worker].Pointer;

    /// <summary>Worker <paramref name="worker"/>'s staging buffer, as large as the last <see cref="Reserve"/> asked.</summary>
    internal float* Staging(int worker) => _staging[worker].Pointer;

    /// <summary>Pointer to <paramref name="length"/> floats for the per-chunk partial sums.</summary>
    internal float* Partials(int length)
    {
        if (_partials is null || _partials.Length < length) _partials = new TensorStorage(length, clear: false);
        return _partials.Pointer;
    }

    /// <summary>At least <paramref name="length"/> ints for <see cref="Conv2DBlocked.Offsets"/>.</summary>
    internal int[] Offsets(int length)
    {
        if (_offsets.Length < length) _offsets = new int[length];
        return _offsets;
    }

    /// <summary>At least <paramref name="length"/> floats for the flipped weights of <see cref="Conv2DBlockedInputGradient"/>.</summary>
    internal Span<float> Flipped(int length)
    {
        if (_flipped.Length < length) _flipped = new float[length];
        return _flipped.AsSpan(0, length);
    }

    /// <summary>
    /// <paramref name="weights"/> packed for the convolution <paramref name="shape"/> without a bias,
    /// into the same packed buffer every call of the same shape (a training step's weights change each
    /// step). One buffer is kept per shape: a network whose layers of different shapes take turns (the
    /// workspace is shared) would otherwise pack into new buffers every call, pinned garbage that only a
    /// full collection frees, and Inception v4's peak memory grew with it.
    /// </summary>
    internal Conv2DPackedWeights PackedForInputGradient(Conv2DShape shape, int lanes, ReadOnlySpan<float> weights)
    {
        if (_inputGradientWeights.TryGetValue((shape, lanes), out var packed)) packed.Repack(weights, default);
        else
        {
            _inputGradientWeights[(shape, lanes)] = packed = Conv2DPackedWeights.Pack(shape, lanes, weights, default);
            // Found once now: the first lookup that finds a key compares keys, and before the method is optimized that
            // makes the runtime's equality comparers of the key's types, which a network whose shapes each come once a
            // step would otherwise make in its second step.
            _inputGradientWeights.TryGetValue((shape, lanes), out _);
        }
        return packed;
    }

    /// <summary>Drops the buffers so their memory can be reclaimed before the workspace itself is.</summary>
    public void Dispose()
    {
        _columns.Clear();
        _staging.Clear();
        _partials = null;
        _offsets = [];
        _flipped = [];
        _inputGradientWeights.Clear();
    }

    private static void Grow(List<TensorStorage> buffers, int worker, int length)
    {
        while (buffers.Count <= worker) buffers.Add(new TensorStorage(length, clear: false));
        if (buffers[worker].Length >= length) return;
        buffers[worker] = new TensorStorage(length, clear: false);
    }
}
