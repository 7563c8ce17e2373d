using Sparta.Data;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The passes a training step splits across the kernels' threads by ranges (element-wise maps, clearing a
/// gradient, the batch gather): on 2 and 3 threads every value is the one a single thread computes, the
/// ragged end included, and nothing outside the span is touched.
/// </summary>
public class SplitPassTests
{
    /// <summary>Three ranges at three threads, and a length no multiple of the cut's alignment.</summary>
    private const int Length = 3 * Elementwise.MinPerRange + 77;

    public static TheoryData<int> ThreadCounts => [1, 2, 3];

    private static float[] Values(int seed, int length = Length)
    {
        var values = new float[length];
        new RandomGenerator((ulong)seed).FillNormal(values, 0, 2);
        return values;
    }

    private static T OnThreads<T>(int threads, Func<T> run)
    {
        int saved = Parallelism.ThreadCount;
        Parallelism.ThreadCount = threads;
        try { return run(); }
        finally { Parallelism.ThreadCount = saved; }
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void ABinaryMapSplitAddsEveryElementAsOneThreadDoes(int threads)
    {
        float[] x = Values(1), y = Values(2);
        var sum = OnThreads(threads, () =>
        {
            var result = new float[Length];
            Elementwise.Map(new AddOperator(), x, y, result);
            return result;
        });
        for (int i = 0; i < Length; i++) Assert.Equal(x[i] + y[i], sum[i]);
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void AUnaryMapSplitInPlaceGivesTheUnsplitPassBits(int threads)
    {
        var whole = Values(3);
        Elementwise.MapRange(new SigmoidOperator(), whole, whole);
        var split = OnThreads(threads, () =>
        {
            var values = Values(3);
            Elementwise.Map(new SigmoidOperator(), values, values);
            return values;
        });
        Assert.Equal(whole, split);
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void ClearingASplitSpanZeroesItAndNothingBesideIt(int threads)
    {
        var values = Values(4, Length + 2);
        float before = values[0], after = values[^1];
        OnThreads(threads, () =>
        {
            Elementwise.Clear(values.AsSpan(1, Length));
            return 0;
        });
        Assert.Equal(before, values[0]);
        Assert.Equal(after, values[^1]);
        Assert.All(values[1..^1], v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void TheBatchGatherCopiesEachRowWhereverTheCutsFall(int threads)
    {
        const int rows = 1000, row = 784, batch = 128;
        var source = Tensor.FromArray(Values(5, rows * row), rows, row);
        var indices = Enumerable.Range(0, batch).Select(i => i * 389 % rows).ToArray();
        var gathered = OnThreads(threads, () =>
        {
            var destination = Tensor.Full(-1f, batch + 1, row);
            Dataset.GatherInto(source, indices, destination);
            return destination.ToArray();
        });
        for (int i = 0; i < batch; i++)
            Assert.Equal(source.Span.Slice(indices[i] * row, row).ToArray(), gathered.AsSpan(i * row, row).ToArray());
        Assert.All(gathered[(batch * row)..], v => Assert.Equal(-1f, v)); // the row past the batch
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void ABadIndexInAnyRangeIsReportedByItsValue(int threads)
    {
        var source = Tensor.Zeros(200, 784);
        var indices = Enumerable.Range(0, 128).ToArray();
        indices[100] = 200;
        var error = OnThreads(threads, () =>
            Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.GatherInto(source, indices, Tensor.Zeros(128, 784))));
        Assert.Contains("sample index 200 is out of range [0, 199]", error.Message);
    }

    [Fact]
    public void AGatherLargerThanItsBatchIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Dataset.GatherInto(Tensor.Zeros(10, 4), [1, 2, 3], Tensor.Zeros(2, 4)));
        Assert.Contains("3 rows of 4 values do not fit a batch of 8", error.Message);
    }
}
