using Sparta.Data;
using Sparta.Tensors;

namespace Sparta.Tests.Data;

public class BatchLoaderTests
{
    /// <summary>10 samples: an image input whose values encode the sample index, a scalar input, labels i % 3.</summary>
    private static Dataset Sample()
    {
        var images = Tensor.FromArray(Enumerable.Range(0, 10 * 4).Select(i => (float)i).ToArray(), 10, 1, 2, 2);
        var scalars = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => 100f + i).ToArray(), 10, 1);
        return Dataset.Classification([("image", images), ("age", scalars)], Enumerable.Range(0, 10).Select(i => i % 3).ToArray(), 3);
    }

    [Fact]
    public void EpochVisitsEverySampleOnceAndKeepsThePartialBatch()
    {
        var data = Sample();
        var loader = new BatchLoader(data, batchSize: 4, shuffle: new RandomGenerator(7));

        var seen = new List<int>();
        var sizes = new List<int>();
        foreach (var batch in loader.Epoch())
        {
            sizes.Add(batch.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                int sample = batch.Indices[i];
                seen.Add(sample);
                Assert.Equal(data.Input("image").Slice(sample, 1).ToArray(), batch.Input("image").Slice(i, 1).ToArray());
                Assert.Equal(100f + sample, batch.Input("age").Span[i]);
                Assert.Equal(sample % 3, batch.Target.Span[i]);
            }
        }

        Assert.Equal([4, 4, 2], sizes);
        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 10), seen);
        Assert.Equal(3, loader.BatchesPerEpoch);
    }

    [Fact]
    public void SameSeedSameOrderAndEachEpochReshuffles()
    {
        static List<int[]> Epochs(ulong seed)
        {
            var loader = new BatchLoader(Sample(), 3, new RandomGenerator(seed));
            return Enumerable.Range(0, 2).Select(_ => loader.Epoch().SelectMany(b => b.Indices.ToArray()).ToArray()).ToList();
        }

        var a = Epochs(1);
        Assert.Equal(a[0], Epochs(1)[0]);
        Assert.Equal(a[1], Epochs(1)[1]);
        Assert.NotEqual(a[0], a[1]);
        Assert.NotEqual(a[0], Epochs(2)[0]);
    }

    [Fact]
    public void WithoutAGeneratorBatchesFollowDatasetOrder()
    {
        var loader = new BatchLoader(Sample(), 4);
        Assert.Equal(Enumerable.Range(0, 10), loader.Epoch().SelectMany(b => b.Indices.ToArray()));
    }

    [Fact]
    public void BatchTensorsAreAllocatedOnce()
    {
        var loader = new BatchLoader(Sample(), 4, new RandomGenerator(3));
        var first = loader.Epoch().Select(b => (b, b.Input("image"), b.Target)).ToList();
        var second = loader.Epoch().Select(b => (b, b.Input("image"), b.Target)).ToList();

        for (int i = 0; i < first.Count; i++)
        {
            Assert.Same(first[i].Item1, second[i].Item1);
            Assert.Same(first[i].Item2, second[i].Item2);
            Assert.Same(first[i].Item3, second[i].Item3);
        }
        Assert.Same(first[0].Item1, first[1].Item1);
    }

    [Fact]
    public void OneHotTargets()
    {
        var loader = new BatchLoader(Sample(), 10, oneHotTargets: true);
        var batch = loader.Epoch().Single();
        Assert.Equal([10, 3], batch.Target.Shape.ToArray());
        for (int i = 0; i < 10; i++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(c == i % 3 ? 1f : 0f, batch.Target.Span[i * 3 + c]);
    }

    [Fact]
    public void SubsetCopiesTheChosenRows()
    {
        var data = Sample();
        var subset = data.Subset([7, 2]);
        Assert.Equal([7 % 3, 2 % 3], subset.Labels!);
        Assert.Equal(data.Input("image").Slice(7, 1).ToArray().Concat(data.Input("image").Slice(2, 1).ToArray()), subset.Input("image").ToArray());
        Assert.Equal([107f, 102f], subset.Input("age").ToArray());
    }

    [Fact]
    public void InputsWithAnotherSampleCountAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Dataset.Classification([("x", Tensor.Zeros(4, 2))], [0, 1, 0], 2));
        Assert.Contains("'x'", e.Message);
        Assert.Contains("(4, 2)", e.Message);
        Assert.Contains("label 5", Assert.Throws<ArgumentException>(() => Dataset.Classification([("x", Tensor.Zeros(2, 2))], [0, 5], 2)).Message);
    }
}
