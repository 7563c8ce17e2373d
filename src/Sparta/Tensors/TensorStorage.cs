using System.Runtime.CompilerServices;

namespace Sparta.Tensors;

/// <summary>
/// float32 values in a pinned array on the pinned object heap, starting at a 64-byte aligned
/// address. Pinned so kernels can take pointers without a <c>fixed</c> block, and managed (not
/// native memory with a finalizer) so a span of the values keeps them alive by itself: a span
/// that outlives its tensor can never read freed memory.
/// </summary>
public sealed unsafe class TensorStorage
{
    public const int Alignment = 64;
    private const int AlignmentFloats = Alignment / sizeof(float);

    // Set again only when a pool lends this object for another block (see Lend).
    private float[] _array;
    private int _start;

    public TensorStorage(int length, bool clear = true)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), $"storage length must be non-negative, got {length}");
        Length = length;
        _array = clear
            ? GC.AllocateArray<float>(length + AlignmentFloats, pinned: true)
            : GC.AllocateUninitializedArray<float>(length + AlignmentFloats, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref _array[0]);
        _start = (int)((Alignment - address % Alignment) % Alignment) / sizeof(float);
    }

    /// <summary>A window of <paramref name="length"/> floats of <paramref name="chunk"/>'s array from <paramref name="offset"/> (a 64-byte multiple), lent by a pool.</summary>
    internal TensorStorage(PoolChunk chunk, int offset, int length)
    {
        _array = null!;
        Lend(chunk, offset, length);
    }

    /// <summary>Makes this storage (given back to its pool) a window of <paramref name="chunk"/>'s array from <paramref name="offset"/>.</summary>
    internal void Lend(PoolChunk chunk, int offset, int length)
    {
        _array = chunk.Storage._array;
        _start = chunk.Storage._start + offset;
        Length = length;
        Chunk = chunk;
        Offset = offset;
    }

    public int Length { get; private set; }

    /// <summary>For a pool's block: the chunk it is a window of and where in it it starts.</summary>
    internal PoolChunk? Chunk { get; private set; }
    internal int Offset { get; private set; }

    /// <summary>The pool that lent this buffer, if any; the lease it was lent under (0: never to come back); whether it is back in the pool.</summary>
    internal TensorPool? Pool { get; init; }
    internal long Lease { get; set; }
    internal bool IsFree { get; set; }
    internal long ReturnedAt { get; set; }

    /// <summary>How many times a pool lent this object again after it came back (a tensor made before cannot give back a later loan).</summary>
    internal int Loan { get; set; }

    /// <summary>The first value's address; valid while this storage is reachable.</summary>
    public float* Pointer => (float*)Unsafe.AsPointer(ref _array[_start]);

    public Span<float> Span => _array.AsSpan(_start, Length);
}
