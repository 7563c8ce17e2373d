namespace Sparta.Tests.Kernels;

/// <summary>
/// <see cref="Parallelism.ForRanges{TBody}"/> with a struct body: every item once, and a call of the same body
/// type from inside one of its ranges (the split's object is then in use on that thread) runs on its own object.
/// </summary>
public unsafe class RangeSplitTests
{
    /// <summary>Counts each item of a row once; at the outer level a range's items are rows, each counted by an inner split.</summary>
    private readonly struct CountRows(int* counts, int rowLength, bool outer) : IRangeBody
    {
        public void Run(int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (outer) Parallelism.ForRanges(rowLength, 7, 1, new CountRows(counts + (long)i * rowLength, rowLength, outer: false));
                else Interlocked.Increment(ref counts[i]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void NestedCallsOfOneBodyTypeCoverEveryItemOnce(int threads)
    {
        const int rows = 9, rowLength = 500;
        using var threadCount = Parallelism.Scope(threads);
        var counts = new int[rows * rowLength];
        for (int repeat = 0; repeat < 3; repeat++) // the second call reuses the first one's objects
            fixed (int* c = counts) Parallelism.ForRanges(rows, 1, 1, new CountRows(c, rowLength, outer: true));
        Assert.All(counts, count => Assert.Equal(3, count));
    }
}
