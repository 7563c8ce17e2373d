using System.Runtime.InteropServices;

namespace Sparta.Kernels;

/// <summary>
/// One thread's buffers of a kind: 64-byte aligned native memory, allocated the first time a thread
/// needs it and grown only when a larger block needs it, so a training step allocates nothing.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    /// <summary>The packed panels of the blocks a thread multiplies.</summary>
    [ThreadStatic] private static GemmBuffers? _packing;

    /// <summary>The partial products a depth-split call's other parts write for its caller to sum (<see cref="GemmDepthSplit"/>).</summary>
    [ThreadStatic] private static GemmBuffers? _partials;

    /// <summary>The bias gradient's sums of each block of rows a dense layer's backward adds up (<see cref="BiasActivation"/>).</summary>
    [ThreadStatic] private static GemmBuffers? _biasSums;

    private float* _data;
    private nuint _floats;

    private GemmBuffers() { }

    /// <summary>This thread's packing buffer, holding at least <paramref name="floats"/> floats.</summary>
    public static float* ForCurrentThread(nuint floats) => (_packing ??= new GemmBuffers()).Holding(floats);

    /// <summary>This thread's buffer of partial products, holding at least <paramref name="floats"/> floats.</summary>
    public static float* PartialsForCurrentThread(nuint floats) => (_partials ??= new GemmBuffers()).Holding(floats);

    /// <summary>This thread's buffer of bias gradient sums by block of rows, holding at least <paramref name="floats"/> floats.</summary>
    public static float* BiasSumsForCurrentThread(nuint floats) => (_biasSums ??= new GemmBuffers()).Holding(floats);

    private float* Holding(nuint floats)
    {
        if (_floats < floats)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
            _floats = 0;
            _data = (float*)NativeMemory.AlignedAlloc(floats * sizeof(float), 64);
            _floats = floats;
        }
        return _data;
    }

    ~GemmBuffers() => NativeMemory.AlignedFree(_data);
}
