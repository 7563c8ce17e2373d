using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Optimizers;

/// <summary>
/// One optimizer's update of a run of parameters, written once for every vector width: it reads
/// and writes the parameters, up to two state slots and the gradient at an offset. The same code
/// with <see cref="Float1"/> updates the ragged tail, so every element is updated the same way.
/// </summary>
internal interface IParameterStep
{
    void Apply<TVector>(ref float value, ref float first, ref float second, ref float gradient, nuint i)
        where TVector : struct, IFloatVector<TVector>;
}

/// <summary>The driver loop of the optimizers' updates: the widest vectors the processor runs, then one element at a time.</summary>
internal static class ParameterSteps
{
    /// <summary>
    /// Below this many parameters a second thread costs more than the update it takes over (the worker team
    /// hands a part over in about a microsecond; Adam updates 8,192 parameters in a few).
    /// </summary>
    private const int MinPerThread = 1 << 13;

    /// <summary>Cuts between threads fall on a multiple of the widest vector, so every element takes the path it takes on one thread.</summary>
    private const int Alignment = 64;

    /// <summary>
    /// Applies <paramref name="step"/> to every element, on up to <see cref="Parallelism.ThreadCount"/>
    /// threads for a large parameter; a slot the step does not use may be empty.
    /// </summary>
    public static void Run<TStep>(TStep step, Span<float> value, ReadOnlySpan<float> gradient, Span<float> first, Span<float> second)
        where TStep : struct, IParameterStep
    {
        if (value.Length < 2 * MinPerThread || Parallelism.ThreadCount == 1) RunRange(step, value, gradient, first, second);
        else RunInRanges(step, value, gradient, first, second);
    }

    /// <summary><see cref="Run{TStep}"/> over ranges on the threads.</summary>
    private static unsafe void RunInRanges<TStep>(TStep step, Span<float> value, ReadOnlySpan<float> gradient, Span<float> first, Span<float> second)
        where TStep : struct, IParameterStep
    {
        // Spans cannot be shared with the threads: pointers, pinned for the call.
        fixed (float* v = value, g = gradient, f = first, s = second)
            Parallelism.ForRanges(value.Length, MinPerThread, Alignment,
                new StepRange<TStep>(step, v, g, first.IsEmpty ? null : f, second.IsEmpty ? null : s));
    }

    /// <summary>The update of elements [start, end): a slot the step does not use is null.</summary>
    private readonly unsafe struct StepRange<TStep>(TStep step, float* value, float* gradient, float* first, float* second) : IRangeBody
        where TStep : struct, IParameterStep
    {
        public void Run(int start, int end)
        {
            int n = end - start;
            RunRange(step, new Span<float>(value + start, n), new ReadOnlySpan<float>(gradient + start, n),
                first == null ? default : new Span<float>(first + start, n),
                second == null ? default : new Span<float>(second + start, n));
        }
    }

    private static void RunRange<TStep>(TStep step, Span<float> value, ReadOnlySpan<float> gradient, Span<float> first, Span<float> second)
        where TStep : struct, IParameterStep
    {
        int n = value.Length, i = 0;
        if (VectorWidth.Uses512) i = Run<TStep, Float512>(step, value, gradient, first, second, i);
        else if (VectorWidth.Uses256) i = Run<TStep, Float256>(step, value, gradient, first, second, i);
        else if (VectorWidth.Uses128) i = Run<TStep, Float128>(step, value, gradient, first, second, i);
        if (i < n) Run<TStep, Float1>(step, value, gradient, first, second, i);
    }

    /// <summary>One width's path from element <paramref name="start"/> while whole vectors fit; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Run<TStep, TVector>(TStep step, Span<float> value, ReadOnlySpan<float> gradient, Span<float> first, Span<float> second, int start)
        where TStep : struct, IParameterStep where TVector : struct, IFloatVector<TVector>
    {
        ref float x = ref MemoryMarshal.GetReference(value);
        ref float f = ref MemoryMarshal.GetReference(first);
        ref float s = ref MemoryMarshal.GetReference(second);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int n = value.Length, i = start;
        for (; i <= n - TVector.Count; i += TVector.Count) step.Apply<TVector>(ref x, ref f, ref s, ref g, (nuint)i);
        return i;
    }
}
