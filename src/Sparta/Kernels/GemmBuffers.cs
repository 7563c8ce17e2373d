using System.Runtime.InteropServices;

namespace Sparta.Kernels;

/// <summary>
/// One thread's packing buffers: 64-byte aligned native memory, allocated the first time a thread
/// multiplies and grown only when a larger block needs it, so a training step allocates nothing.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic] private static GemmBuffers? _current;

    private float* _data;
    private nuint _floats;

    private GemmBuffers() { }

    /// <summary>This thread's buffer, holding at least <paramref name="floats"/> floats.</summary>
    public static float* ForCurrentThread(nuint floats)
    {
        var buffers = _current ??= new GemmBuffers();
        if (buffers._floats < floats)
        {
            NativeMemory.AlignedFree(buffers._data);
            buffers._data = null;
            buffers._floats = 0;
            buffers._data = (float*)NativeMemory.AlignedAlloc(floats * sizeof(float), 64);
            buffers._floats = floats;
        }
        return buffers._data;
    }

    ~GemmBuffers() => NativeMemory.AlignedFree(_data);
}
