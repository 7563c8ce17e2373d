namespace Sparta.Tests.Kernels;

public class ParallelRangesTests
{
    [Theory]
    [InlineData(0, 1, 1, 2)]
    [InlineData(10, 4, 1, 2)]
    [InlineData(1000, 100, 64, 2)]
    [InlineData(1000, 100, 64, 3)]
    [InlineData(100_003, 1000, 64, 3)]
    [InlineData(7, 1, 1, 8)]
    public void EveryItemIsCoveredOnceAndCutsFallOnTheAlignment(int length, int minPerRange, int alignment, int threads)
    {
        using var threadCount = Parallelism.Scope(threads);
        var seen = new int[length];
        var ranges = new System.Collections.Concurrent.ConcurrentBag<(int Start, int End)>();
        Parallelism.ForRanges(length, minPerRange, alignment, (start, end) =>
        {
            ranges.Add((start, end));
            for (int i = start; i < end; i++) Interlocked.Increment(ref seen[i]);
        });
        Assert.All(seen, count => Assert.Equal(1, count));
        Assert.True(ranges.Count <= Math.Max(1, Math.Min(threads, length / minPerRange)), $"{ranges.Count} ranges");
        Assert.All(ranges, r => Assert.True(r.Start % alignment == 0 && r.End > r.Start, $"range [{r.Start}, {r.End})"));
    }

    [Fact]
    public void AnErrorInAThreadReachesTheCallerUnwrapped()
    {
        using var threadCount = Parallelism.Scope(2);
        var error = Assert.Throws<ArgumentException>(() => Parallelism.ForRanges(100, 10, 1, (start, _) =>
        {
            if (start > 0) throw new ArgumentException("second range");
        }));
        Assert.Equal("second range", error.Message);
    }
}
