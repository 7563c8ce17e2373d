using Sparta.Data;
using Sparta.Data.Splits;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Splits;

public class SplitTests
{
    private static int[] Labels() => [.. Enumerable.Repeat(0, 100), .. Enumerable.Repeat(1, 50), .. Enumerable.Repeat(2, 30)];

    [Fact]
    public void StratifiedSplitKeepsClassProportions()
    {
        int[] labels = Labels();
        var split = SplitIndices.Create(labels.Length, validation: 0.2, test: 0.1, new RandomGenerator(5), labels);

        Assert.Equal(Enumerable.Range(0, labels.Length), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        foreach (var (part, fraction) in new[] { (split.Validation, 0.2), (split.Test, 0.1), (split.Train, 0.7) })
            foreach (var (label, total) in new[] { (0, 100), (1, 50), (2, 30) })
                Assert.InRange(part.Count(i => labels[i] == label), Math.Floor(total * fraction) - 1, Math.Ceiling(total * fraction) + 1);
    }

    [Fact]
    public void DatasetSplitCopiesTheIndexedSamples()
    {
        int[] labels = Labels();
        var x = Tensor.FromArray(Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray(), labels.Length, 1);
        var data = Dataset.Classification([("x", x)], labels, 3);

        var split = DatasetSplit.Create(data, 0.2, 0.1, new RandomGenerator(5));
        var indices = SplitIndices.Create(labels.Length, 0.2, 0.1, new RandomGenerator(5), labels);

        Assert.Equal(indices.Train.Select(i => (float)i), split.Train.Input("x").ToArray());
        Assert.Equal(indices.Validation.Select(i => labels[i]), split.Validation.Labels!);
        Assert.Equal(indices.Test.Length, split.Test.Count);
    }

    [Fact]
    public void SplitIsSeededAndRandom()
    {
        var a = SplitIndices.Create(100, 0.3, 0, new RandomGenerator(1));
        Assert.Equal(a, SplitIndices.Create(100, 0.3, 0, new RandomGenerator(1)) with { }, new SplitComparer());
        Assert.Equal(30, a.Validation.Length);
        Assert.Empty(a.Test);
        Assert.NotEqual(Enumerable.Range(70, 30), a.Validation);
        Assert.NotEqual(a.Validation, SplitIndices.Create(100, 0.3, 0, new RandomGenerator(2)).Validation);
    }

    [Theory]
    [InlineData(-0.1, 0.1, "validation")]
    [InlineData(0.5, 0.5, "validation + test")]
    [InlineData(0.1, 1.2, "test")]
    public void BadFractionsAreNamed(double validation, double test, string named)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => SplitIndices.Create(10, validation, test, new RandomGenerator(0)));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void KFoldHoldsEachSampleOutExactlyOnce()
    {
        var folds = KFold.Create(23, 5, new RandomGenerator(9));

        Assert.Equal(Enumerable.Range(0, 23), folds.SelectMany(f => f.Validation).Order());
        Assert.All(folds, f => Assert.InRange(f.Validation.Length, 4, 5));
        Assert.All(folds, f => Assert.Empty(f.Train.Intersect(f.Validation)));
        Assert.All(folds, f => Assert.Equal(23, f.Train.Length + f.Validation.Length));
    }

    [Fact]
    public void StratifiedKFoldKeepsClassProportionsInEveryFold()
    {
        int[] labels = Labels();
        var folds = KFold.Stratified(labels, 5, new RandomGenerator(4));

        Assert.Equal(Enumerable.Range(0, labels.Length), folds.SelectMany(f => f.Validation).Order());
        foreach (var fold in folds)
            foreach (var (label, total) in new[] { (0, 100), (1, 50), (2, 30) })
                Assert.InRange(fold.Validation.Count(i => labels[i] == label), total / 5 - 1, total / 5 + 1);
    }

    [Fact]
    public void CrossValidationReportsMeanAndStdOfEachMetric()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 12, 1);
        var data = Dataset.Classification([("x", x)], Enumerable.Range(0, 12).Select(i => i % 2).ToArray(), 2);
        var seen = new List<float[]>();

        var result = CrossValidation.Run(data, 3, new RandomGenerator(11), (train, validation, fold) =>
        {
            Assert.Empty(train.Input("x").ToArray().Intersect(validation.Input("x").ToArray()));
            seen.Add(validation.Input("x").ToArray());
            return new Dictionary<string, double> { ["mean_x"] = validation.Input("x").ToArray().Average(), ["size"] = validation.Count };
        });

        var means = seen.Select(v => (double)v.Average()).ToArray();
        double mean = means.Average();
        Assert.Equal(mean, result.Mean("mean_x"), 12);
        Assert.Equal(Math.Sqrt(means.Select(m => (m - mean) * (m - mean)).Average()), result.Std("mean_x"), 12);
        Assert.Equal(4, result.Mean("size"));
        Assert.Equal(0, result.Std("size"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), seen.SelectMany(v => v).Order());
    }

    private sealed class SplitComparer : IEqualityComparer<SplitIndices>
    {
        public bool Equals(SplitIndices? a, SplitIndices? b) =>
            a!.Train.SequenceEqual(b!.Train) && a.Validation.SequenceEqual(b.Validation) && a.Test.SequenceEqual(b.Test);

        public int GetHashCode(SplitIndices s) => s.Train.Length;
    }
}
