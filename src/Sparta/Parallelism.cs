using System.Runtime.CompilerServices;

namespace Sparta;

/// <summary>
/// How many threads Sparta's kernels may use (like torch.set_num_threads). Work is split only at a
/// coarse grain and every reduction runs in a fixed order, so results do not depend on this value.
/// </summary>
public static class Parallelism
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>The count of the innermost <see cref="Scope"/> this code runs in, null outside any.</summary>
    private static readonly AsyncLocal<StrongBox<int>?> Scoped = new();

    /// <summary>The process's count, or inside a <see cref="Scope"/> that scope's: setting it there changes the scope's alone.</summary>
    public static int ThreadCount
    {
        get => Scoped.Value?.Value ?? _threads;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), $"thread count must be at least 1, got {value}");
            if (Scoped.Value is { } scope) scope.Value = value;
            else _threads = value;
        }
    }

    /// <summary>
    /// Until disposed, <see cref="ThreadCount"/> is <paramref name="threads"/> (default: the current count) for the calling
    /// code and the tasks it starts, and setting it changes this scope's count, not the process's: each command of the
    /// <c>sparta</c> tool runs in one, so commands run side by side in one process (a test host, a server) each use their
    /// own <c>--threads</c> and leave the others' count as they found it.
    /// </summary>
    public static IDisposable Scope(int? threads = null)
    {
        int count = threads ?? ThreadCount;
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(threads), $"thread count must be at least 1, got {count}");
        var outer = Scoped.Value;
        Scoped.Value = new StrongBox<int>(count);
        return new ScopeEnd(outer);
    }

    private sealed class ScopeEnd(StrongBox<int>? outer) : IDisposable
    {
        public void Dispose() => Scoped.Value = outer;
    }

    /// <summary>
    /// Runs <paramref name="body"/>(part) once for each part in [0, <paramref name="parts"/>) on up to as many
    /// threads (the calling one among them), and returns when all are done: each part must compute the same
    /// whichever thread runs it. A part's error is raised as a loop over the parts would have raised it.
    /// </summary>
    internal static void ForEachPart(int parts, Action<int> body)
    {
        if (parts == 1) body(0);
        else if (parts > 1) WorkerTeam.Run(parts, body);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, <paramref name="length"/>) cut into at most
    /// <see cref="ThreadCount"/> ranges of at least <paramref name="minPerRange"/> items, every cut a
    /// multiple of <paramref name="alignment"/>; on the calling thread alone when one range covers it.
    /// Only for work whose items are independent (no sum across ranges), so where the cuts fall
    /// changes nothing in the result.
    /// </summary>
    internal static void ForRanges(int length, int minPerRange, int alignment, Action<int, int> body) =>
        ForRanges(length, minPerRange, alignment, new DelegateRange(body));

    /// <summary><see cref="ForRanges(int, int, int, Action{int, int})"/> for a body that is a struct: no allocation, split or not.</summary>
    internal static void ForRanges<TBody>(int length, int minPerRange, int alignment, in TBody body) where TBody : struct, IRangeBody
    {
        int ranges = RangesFor(length, minPerRange);
        if (ranges <= 1)
        {
            if (length > 0) body.Run(0, length);
            return;
        }
        RangeSplit<TBody>.Run(body, length, alignment, ranges);
    }

    /// <summary>How many ranges <see cref="ForRanges{TBody}"/> cuts <paramref name="length"/> items into: 1 when it stays on the caller.</summary>
    internal static int RangesFor(int length, int minPerRange) => (int)Math.Min(ThreadCount, (long)length / Math.Max(1, minPerRange));

    private readonly struct DelegateRange(Action<int, int> body) : IRangeBody
    {
        public void Run(int start, int end) => body(start, end);
    }
}
