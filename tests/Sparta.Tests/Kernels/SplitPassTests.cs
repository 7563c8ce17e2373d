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
        using var threadCount = Parallelism.Scope(threads);
        return run();
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
    [InlineData(1, Length)]
    [InlineData(2, Length)]
    [InlineData(3, Length)]
    [InlineData(2, 3 * Elementwise.MinClearPerRange + 77)] // split by clearing's own minimum, under a map's
    [InlineData(3, 3 * Elementwise.MinClearPerRange + 77)]
    public void ClearingASplitSpanZeroesItAndNothingBesideIt(int threads, int length)
    {
        var values = Values(4, length + 2);
        float before = values[0], after = values[^1];
        OnThreads(threads, () =>
        {
            Elementwise.Clear(values.AsSpan(1, length));
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

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void ADenseBiasActivationSplitGivesOneThreadsBitsBothWays(int threads)
    {
        // The MLP's first layer, and a batch whose last block of rows is short: rows split both ways, the bias
        // gradient summed by blocks of rows.
        foreach (int rows in new[] { 128, 150 })
            DenseBiasActivationSplitGivesOneThreadsBits(rows, 256 + 24, threads);
    }

    private static void DenseBiasActivationSplitGivesOneThreadsBits(int rows, int columns, int threads)
    {
        var (output, inputGrad, biasGrad) = BiasActivationPasses(rows, columns, 1, threads);
        var (oneOutput, oneInputGrad, oneBiasGrad) = BiasActivationPasses(rows, columns, 1, 1);
        Assert.Equal(oneOutput, output);
        Assert.Equal(oneInputGrad, inputGrad);
        Assert.Equal(oneBiasGrad, biasGrad);
        // The bias gradient is the column sums of the input gradient, added row after row within each block of
        // 64 rows, then block after block (one sum over all the rows, as before, differs in the last bits).
        int block = BiasActivation.BiasRowBlock;
        Assert.Equal(64, block);
        for (int c = 0; c < columns; c++)
        {
            float total = 0;
            for (int first = 0; first < rows; first += block)
            {
                float sum = 0;
                for (int r = first; r < Math.Min(rows, first + block); r++) sum += inputGrad[r * columns + c];
                total += sum;
            }
            Assert.Equal(total, biasGrad[c]);
        }
    }

    [Theory]
    [MemberData(nameof(ThreadCounts))]
    public void AConvolutionBiasActivationSplitGivesOneThreadsBitsBothWays(int threads)
    {
        var split = BiasActivationPasses(16, 37, 196, threads);
        var one = BiasActivationPasses(16, 37, 196, 1);
        Assert.Equal(one.Output, split.Output);
        Assert.Equal(one.InputGrad, split.InputGrad);
        Assert.Equal(one.BiasGrad, split.BiasGrad);
    }

    private static (float[] Output, float[] InputGrad, float[] BiasGrad) BiasActivationPasses(int outer, int channels, int inner, int threads)
    {
        int length = outer * channels * inner;
        float[] input = Values(6, length), bias = Values(7, channels), outputGrad = Values(8, length);
        var output = new float[length];
        var inputGrad = new float[length];
        var biasGrad = new float[channels];
        OnThreads(threads, () =>
        {
            BiasActivation.Forward(BiasActivationKind.Relu, 0f, outer, channels, inner, input, bias, output);
            BiasActivation.Backward(BiasActivationKind.Relu, 0f, outer, channels, inner, output, outputGrad, inputGrad, biasGrad);
            return 0;
        });
        return (output, inputGrad, biasGrad);
    }

    [Fact]
    public void AWrongLengthNamesTheLayoutItExpected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BiasActivation.Forward(BiasActivationKind.Relu, 0f, 2, 3, 1, new float[5], new float[3], new float[6]));
        Assert.Contains("input must hold outer x channels x inner = 2x3x1=6 values, got 5", error.Message);
    }

    [Fact]
    public void AGatherLargerThanItsBatchIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Dataset.GatherInto(Tensor.Zeros(10, 4), [1, 2, 3], Tensor.Zeros(2, 4)));
        Assert.Contains("3 rows of 4 values do not fit a batch of 8", error.Message);
    }
}
