using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Tensors;

namespace Sparta.Tests.Data.Augmentation;

public class ImageAugmenterTests
{
    private static Tensor Images(int n, int c = 2, int h = 6, int w = 6)
    {
        var t = Tensor.Zeros(n, c, h, w);
        new RandomGenerator(99).FillUniform(t.Span, 0, 1);
        return t;
    }

    private static float[] Augmented(AugmentationConfig config, ulong seed, Tensor images)
    {
        var copy = Tensor.FromArray(images.Span, images.Shape.ToArray());
        new ImageAugmenter(config, new RandomGenerator(seed)).Apply(copy);
        return copy.ToArray();
    }

    private static readonly AugmentationConfig Everything = new()
    {
        RotationRange = 20, WidthShiftRange = 0.1, HeightShiftRange = 1.5, ShearRange = 10, ZoomRange = (0.9, 1.1),
        HorizontalFlip = true, VerticalFlip = true, BrightnessRange = (0.8, 1.2), FillMode = FillMode.Reflect, CutoutSize = 2,
    };

    [Fact]
    public void EmptyConfigLeavesImages()
    {
        var images = Images(4);
        Assert.Equal(images.ToArray(), Augmented(new AugmentationConfig(), 1, images));
    }

    [Fact]
    public void SameSeedSameAugmentationOtherSeedOther()
    {
        var images = Images(8);
        var a = Augmented(Everything, 5, images);
        Assert.Equal(a, Augmented(Everything, 5, images));
        Assert.NotEqual(a, Augmented(Everything, 6, images));
        Assert.NotEqual(images.ToArray(), a);
        Assert.All(a, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ResultIsTheSameWhateverTheThreadCount()
    {
        var images = Images(70, c: 1, h: 28, w: 28);
        using var threadCount = Sparta.Parallelism.Scope(1);
        var one = Augmented(Everything, 12, images);
        Sparta.Parallelism.ThreadCount = 3;
        Assert.Equal(one, Augmented(Everything, 12, images));
    }

    [Fact]
    public void FlipOnlyProducesOriginalsOrMirrorsOfEachImage()
    {
        var images = Images(16, c: 1, h: 3, w: 4);
        var output = Augmented(new AugmentationConfig { HorizontalFlip = true }, 3, images);
        int flipped = 0;
        for (int n = 0; n < 16; n++)
        {
            var original = images.Span.Slice(n * 12, 12).ToArray();
            var mirrored = (float[])original.Clone();
            Flip.Horizontal(mirrored, 3, 4);
            var got = output.AsSpan(n * 12, 12).ToArray();
            Assert.True(got.SequenceEqual(original) || got.SequenceEqual(mirrored));
            if (got.SequenceEqual(mirrored)) flipped++;
        }
        Assert.InRange(flipped, 2, 14);
    }

    [Fact]
    public void BrightnessMultipliesTheValues()
    {
        var images = Images(3);
        var output = Augmented(new AugmentationConfig { BrightnessRange = (1.5, 1.5) }, 1, images);
        Assert.Equal(images.ToArray().Select(v => v * 1.5f), output, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void CutoutErasesOneSquareAcrossChannels()
    {
        var image = new float[2 * 8 * 8];
        Array.Fill(image, 1f);
        Cutout.Erase(image, 2, 8, 8, centerRow: 4, centerCol: 3, size: 3, value: 0);
        for (int ch = 0; ch < 2; ch++)
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++)
                    Assert.Equal(r is >= 3 and < 6 && c is >= 2 and < 5 ? 0f : 1f, image[(ch * 8 + r) * 8 + c]);
        Cutout.Erase(image, 2, 8, 8, centerRow: 0, centerCol: 7, size: 4, value: 0);
        // Clipped at the corner: rows [0, 2) x columns [5, 8), 6 pixels per channel, besides the first 9.
        Assert.Equal(2 * (9 + 6), image.Count(v => v == 0));
    }

    [Fact]
    public void MixupWithWeightOneIsTheIdentityAndZeroIsThePartner()
    {
        float[] rows = [1, 2, 3, 4, 5, 6];
        var scratch = new float[6];
        var identity = (float[])rows.Clone();
        Mixup.Blend(identity, 2, [2, 0, 1], 1f, scratch);
        Assert.Equal(rows, identity);

        var partner = (float[])rows.Clone();
        Mixup.Blend(partner, 2, [2, 0, 1], 0f, scratch);
        Assert.Equal([5f, 6f, 1f, 2f, 3f, 4f], partner);

        var blend = (float[])rows.Clone();
        Mixup.Blend(blend, 2, [1, 0, 2], 0.25f, scratch);
        Assert.Equal([0.25f * 1 + 0.75f * 3, 0.25f * 2 + 0.75f * 4, 0.25f * 3 + 0.75f * 1, 0.25f * 4 + 0.75f * 2, 5f, 6f], blend);
    }

    [Fact]
    public void MixupKeepsLabelsAProbabilityDistributionAndBlendsImagesAlike()
    {
        var images = Tensor.Zeros(6, 1, 1, 1);
        var targets = Tensor.Zeros(6, 3);
        for (int i = 0; i < 6; i++) { images.Span[i] = i % 3; targets.Span[i * 3 + i % 3] = 1; }
        new ImageAugmenter(new AugmentationConfig { MixupAlpha = 0.4 }, new RandomGenerator(8)).Apply(images, targets);

        for (int i = 0; i < 6; i++)
        {
            var label = targets.Span.Slice(i * 3, 3).ToArray();
            Assert.Equal(1f, label.Sum(), 5);
            // The image value is the label-weighted class index: both blended with the same weight.
            Assert.Equal(label[1] * 1 + label[2] * 2, images.Span[i], 5);
        }
    }

    [Fact]
    public void ChannelShiftAddsOneValuePerImageClippedToItsRange()
    {
        float[] image = [0.1f, 0.5f, 0.9f, 0.3f];
        ImageAugmenter.ShiftChannels(image, 0.2f);
        Assert.Equal([0.3f, 0.7f, 0.9f, 0.5f], image, (a, b) => Math.Abs(a - b) < 1e-6f);

        var images = Images(20);
        var output = Augmented(new AugmentationConfig { ChannelShiftRange = 0.3 }, 4, images);
        int size = 2 * 6 * 6;
        var shifts = new List<float>();
        for (int n = 0; n < 20; n++)
        {
            var original = images.Span.Slice(n * size, size).ToArray();
            var got = output.AsSpan(n * size, size).ToArray();
            float min = original.Min(), max = original.Max();
            // The shift is read off the median pixel, which is never clipped by a shift below 0.3 here.
            int middle = Array.IndexOf(original, original.Order().ElementAt(size / 2));
            float shift = got[middle] - original[middle];
            Assert.InRange(shift, -0.3f, 0.3f);
            Assert.Equal(original.Select(v => Math.Clamp(v + shift, min, max)), got, (a, b) => Math.Abs(a - b) < 1e-5f);
            shifts.Add(shift);
        }
        Assert.Contains(shifts, s => s > 0.05f);
        Assert.Contains(shifts, s => s < -0.05f);
    }

    [Fact]
    public void ListFormShiftMovesByOneOfTheListedPixelCountsEitherWay()
    {
        var images = Images(12, c: 1, h: 4, w: 7);
        var config = new AugmentationConfig { WidthShiftChoices = [2], FillMode = FillMode.Constant, FillValue = -1, Interpolation = Interpolation.Nearest };
        var output = Augmented(config, 3, images);
        var seen = new HashSet<int>();
        for (int n = 0; n < 12; n++)
        {
            var original = images.Span.Slice(n * 28, 28).ToArray();
            var got = output.AsSpan(n * 28, 28).ToArray();
            int shift = new[] { 2, -2 }.Single(s => got.SequenceEqual(Shifted(original, 4, 7, s)));
            seen.Add(shift);
        }
        Assert.Equal([-2, 2], seen.Order());

        // Fractions of the width when every listed value is below 1: 0.3 of 10 columns is 3.
        var wide = Images(6, c: 1, h: 2, w: 10);
        var moved = Augmented(config with { WidthShiftChoices = [0.3] }, 1, wide);
        for (int n = 0; n < 6; n++)
        {
            var original = wide.Span.Slice(n * 20, 20).ToArray();
            var got = moved.AsSpan(n * 20, 20).ToArray();
            Assert.True(got.SequenceEqual(Shifted(original, 2, 10, 3)) || got.SequenceEqual(Shifted(original, 2, 10, -3)));
        }
    }

    /// <summary>Output column c shows input column c + shift, -1 where that falls outside.</summary>
    private static float[] Shifted(float[] image, int height, int width, int shift)
    {
        var result = new float[image.Length];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                result[r * width + c] = c + shift is var from && from >= 0 && from < width ? image[r * width + from] : -1;
        return result;
    }

    [Fact]
    public void BatchLoaderAugmentsCopiesNeverTheStoredData()
    {
        var images = Images(5);
        var stored = images.ToArray();
        var data = Dataset.Classification([("image", images)], [0, 1, 0, 1, 0], 2);
        var loader = new BatchLoader(data, 2, new RandomGenerator(1), oneHotTargets: true,
            augmenter: new ImageAugmenter(Everything with { MixupAlpha = 0.2 }, new RandomGenerator(2)));

        foreach (var batch in loader.Epoch()) Assert.Equal(2, batch.Target.Shape[1]);
        Assert.Equal(stored, data.Input("image").ToArray());
    }

    [Fact]
    public void MixupBlendsTargetsGivenOneHotAsItBlendsOnesMadeFromLabels()
    {
        var labels = Dataset.Classification([("image", Images(6))], [0, 1, 2, 1, 0, 2], 3);
        Tensor Blended(Dataset data, bool oneHotTargets)
        {
            var loader = new BatchLoader(data, 6, oneHotTargets: oneHotTargets,
                augmenter: new ImageAugmenter(new AugmentationConfig { MixupAlpha = 0.4 }, new RandomGenerator(9)));
            return loader.Epoch().Single().Target.Clone();
        }
        var fromLabels = Blended(labels, oneHotTargets: true);
        Assert.Equal(fromLabels.ToArray(), Blended(labels.WithOneHotTargets(), oneHotTargets: false).ToArray());
        Assert.Contains(fromLabels.ToArray(), v => v is > 0f and < 1f);
        var error = Assert.Throws<ArgumentException>(() => new BatchLoader(labels, 6,
            augmenter: new ImageAugmenter(new AugmentationConfig { MixupAlpha = 0.4 }, new RandomGenerator(9))));
        Assert.Contains("mixup", error.Message);
    }

    [Theory]
    [InlineData("rotation_range")]
    [InlineData("zoom_range")]
    [InlineData("mixup_alpha")]
    [InlineData("channel_shift_range")]
    [InlineData("width_shift_range")]
    public void BadConfigIsNamed(string name)
    {
        var config = name switch
        {
            "rotation_range" => new AugmentationConfig { RotationRange = -5 },
            "zoom_range" => new AugmentationConfig { ZoomRange = (1.2, 0.8) },
            "channel_shift_range" => new AugmentationConfig { ChannelShiftRange = -1 },
            "width_shift_range" => new AugmentationConfig { WidthShiftChoices = [] },
            _ => new AugmentationConfig { MixupAlpha = double.NaN },
        };
        Assert.Contains(name, Assert.Throws<ArgumentException>(() => new ImageAugmenter(config, new RandomGenerator(0))).Message);
    }
}
