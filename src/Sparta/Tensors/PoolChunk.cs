namespace Sparta.Tensors;

/// <summary>
/// One pinned array of a <see cref="TensorPool"/>, lent out in blocks: a request takes the front of a
/// free range, and a block given back joins the free ranges next to it, so a step that frees its
/// tensors in the reverse order it made them (backward after forward) leaves one free range again.
/// Offsets and lengths are in floats, whole multiples of <see cref="Granule"/> so every block starts
/// on a 64-byte boundary.
/// </summary>
internal sealed class PoolChunk
{
    /// <summary>Floats a block is rounded up to: 64 bytes, the storage alignment.</summary>
    internal const int Granule = TensorStorage.Alignment / sizeof(float);

    // Free ranges, sorted by offset, never adjacent (adjacent ones are merged).
    private readonly List<(int Offset, int Length)> _free = [];

    public PoolChunk(int length)
    {
        Storage = new TensorStorage(length, clear: false);
        Length = length;
        FreeFloats = length;
        _free.Add((0, length));
    }

    /// <summary>The whole array; blocks are windows of it.</summary>
    public TensorStorage Storage { get; }

    public int Length { get; }

    /// <summary>Floats in free ranges.</summary>
    public long FreeFloats { get; private set; }

    /// <summary>Whether no block is out.</summary>
    public bool IsEmpty => _free.Count == 1 && _free[0].Length == Length;

    /// <summary>Free ranges.</summary>
    public int FreeRanges => _free.Count;

    /// <summary>The lease of the last block taken from this chunk.</summary>
    public long LastTaken { get; set; }

    /// <summary>The length of the shortest free range of at least <paramref name="length"/> floats, or int.MaxValue.</summary>
    public int BestFit(int length)
    {
        int best = int.MaxValue;
        foreach (var (_, free) in _free)
            if (free >= length && free < best) best = free;
        return best;
    }

    /// <summary>Takes <paramref name="length"/> floats from the front of the shortest free range that holds them; the caller checked <see cref="BestFit"/>.</summary>
    public int Take(int length)
    {
        int index = -1;
        for (int i = 0; i < _free.Count; i++)
            if (_free[i].Length >= length && (index < 0 || _free[i].Length < _free[index].Length)) index = i;
        var (offset, free) = _free[index];
        if (free == length) _free.RemoveAt(index);
        else _free[index] = (offset + length, free - length);
        FreeFloats -= length;
        return offset;
    }

    /// <summary>Gives the block at <paramref name="offset"/> back, merged with the free ranges on either side.</summary>
    public void Give(int offset, int length)
    {
        int lo = 0, hi = _free.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_free[mid].Offset < offset) lo = mid + 1;
            else hi = mid;
        }
        int index = lo;
        if (index > 0 && _free[index - 1].Offset + _free[index - 1].Length > offset
            || index < _free.Count && offset + length > _free[index].Offset)
            throw new InvalidOperationException($"tensor pool: a block at {offset} of {length} floats overlaps a free range");
        bool joinsPrevious = index > 0 && _free[index - 1].Offset + _free[index - 1].Length == offset;
        bool joinsNext = index < _free.Count && offset + length == _free[index].Offset;
        if (joinsPrevious && joinsNext)
        {
            _free[index - 1] = (_free[index - 1].Offset, _free[index - 1].Length + length + _free[index].Length);
            _free.RemoveAt(index);
        }
        else if (joinsPrevious) _free[index - 1] = (_free[index - 1].Offset, _free[index - 1].Length + length);
        else if (joinsNext) _free[index] = (offset, length + _free[index].Length);
        else _free.Insert(index, (offset, length));
        FreeFloats += length;
    }
}
