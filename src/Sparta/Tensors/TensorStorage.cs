using System.Runtime.InteropServices;

namespace Sparta.Tensors;

/// <summary>
/// 64-byte aligned native memory holding float32 values. Kept off the managed heap so large
/// buffers never land on the large object heap and SIMD loads stay aligned; freed on Dispose or
/// by the finalizer.
/// </summary>
public sealed unsafe class TensorStorage : IDisposable
{
    public const int Alignment = 64;
    private float* _pointer;

    public TensorStorage(int length, bool clear = true)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), $"storage length must be non-negative, got {length}");
        Length = length;
        nuint bytes = (nuint)Math.Max(length, 1) * sizeof(float);
        _pointer = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        if (clear) NativeMemory.Clear(_pointer, bytes);
        GC.AddMemoryPressure((long)bytes);
    }

    public int Length { get; }

    public float* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(TensorStorage));

    public Span<float> Span => new(Pointer, Length);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~TensorStorage() => Free();

    private void Free()
    {
        if (_pointer == null) return;
        NativeMemory.AlignedFree(_pointer);
        _pointer = null;
        GC.RemoveMemoryPressure((long)Math.Max(Length, 1) * sizeof(float));
    }
}
