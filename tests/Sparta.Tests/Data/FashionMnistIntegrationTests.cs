using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Preprocessing;
using Sparta.Data.Splits;
using Sparta.Tensors;

namespace Sparta.Tests.Data;

/// <summary>The real Fashion-MNIST from Debian's dataset-fashion-mnist (test.sh installs it).</summary>
public class FashionMnistIntegrationTests
{
    [Fact]
    public void TrainingSetHas60000ImagesWith6000PerClass()
    {
        var data = DatasetRegistry.Load("fashion-mnist", "train");

        Assert.Equal([60000, 1, 28, 28], data.Input("image").Shape.ToArray());
        Assert.Equal(10, data.ClassCount);
        Assert.All(data.Labels!.GroupBy(l => l), g => Assert.Equal(6000, g.Count()));
        Assert.Equal(10, data.Labels!.Distinct().Count());
        var pixels = data.Input("image").Span;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float p in pixels) { min = Math.Min(min, p); max = Math.Max(max, p); }
        Assert.Equal(0f, min);
        Assert.Equal(255f, max);
    }

    [Fact]
    public void TestSetHas10000Images()
    {
        var data = DatasetRegistry.Load("fashion-mnist", "test");

        Assert.Equal([10000, 1, 28, 28], data.Input("image").Shape.ToArray());
        Assert.All(data.Labels!.GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
    }

    [Fact]
    public void SplitStandardizeAndAugmentTheRealImages()
    {
        var all = DatasetRegistry.Load("fashion-mnist", "train");
        var split = SplitIndices.Create(all.Count, validation: 0.1, test: 0, new RandomGenerator(0), all.Labels);
        var (train, validation) = (all.Subset(split.Train), all.Subset(split.Validation));
        Assert.All(validation.Labels!.GroupBy(l => l), g => Assert.Equal(600, g.Count()));

        var step = new Standardize(StatisticsScope.Channel);
        var sets = new PreprocessingPipeline([step]).FitApply("image", train, validation);

        // The statistics are the training split's: its standardized pixels have mean 0 and std 1.
        double sum = 0, squares = 0;
        foreach (float v in sets[0].Input("image").Span) { sum += v; squares += (double)v * v; }
        int count = sets[0].Input("image").Size;
        Assert.Equal(0, sum / count, 4);
        Assert.Equal(1, Math.Sqrt(squares / count - (sum / count) * (sum / count)), 4);

        var loader = new BatchLoader(sets[0], 128, new RandomGenerator(1), oneHotTargets: true,
            augmenter: new ImageAugmenter(new AugmentationConfig { RotationRange = 10, WidthShiftRange = 0.1, HorizontalFlip = true, MixupAlpha = 0.2 }, new RandomGenerator(2)));
        Assert.Equal(422, loader.BatchesPerEpoch);
        foreach (var batch in loader.Epoch().Take(3))
        {
            Assert.Equal([128, 1, 28, 28], batch.Input("image").Shape.ToArray());
            Assert.Equal(128, batch.Target.ToArray().Sum(), 2);
        }
    }
}
