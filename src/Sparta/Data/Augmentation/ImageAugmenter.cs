using System.Numerics.Tensors;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Data.Augmentation;

/// <summary>
/// Applies an <see cref="AugmentationConfig"/> to NCHW batches in place, drawing every random
/// parameter from its own seeded generator in image order, so a seed gives the same augmented
/// batches whatever the thread count. Nothing is stored: each epoch sees new variants.
/// </summary>
public sealed class ImageAugmenter
{
    private readonly AugmentationConfig _config;
    private readonly RandomGenerator _random;
    // Values per parallel task (about 32 images of 28x28): enough work to outweigh scheduling.
    private const int ValuesPerChunk = 32 * 28 * 28;
    private ImageDraw[] _draws = [];
    private float[][] _planes = [];
    private float[] _imageScratch = [];
    private float[] _targetScratch = [];
    private int[] _partners = [];

    public ImageAugmenter(AugmentationConfig config, RandomGenerator random)
    {
        config.Validate();
        _config = config;
        _random = random;
    }

    public bool UsesMixup => _config.MixupAlpha > 0;

    /// <summary>
    /// The augmenter of epoch <paramref name="epoch"/>: stream <paramref name="epoch"/> of this one's
    /// generator, so a run resumed at any epoch draws the transformations an uninterrupted run draws.
    /// </summary>
    public ImageAugmenter ForEpoch(int epoch) => new(_config, _random.Fork((ulong)epoch));

    /// <summary>Augments <paramref name="images"/> (N, C, H, W); <paramref name="targets"/> (N, classes) one-hot is needed for mixup.</summary>
    public void Apply(Tensor images, Tensor? targets = null)
    {
        if (images.Rank != 4) throw new ArgumentException($"augmentation: expected NCHW images, got shape {images.Shape}", nameof(images));
        int n = images.Shape[0], channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3];
        if (_draws.Length < n) _draws = new ImageDraw[n];
        for (int i = 0; i < n; i++) _draws[i] = Draw(height, width);
        // The draws are made in image order above; applying them is independent per image, so the
        // result is the same whatever the thread count.
        int imageSize = channels * height * width;
        int perChunk = Math.Max(1, ValuesPerChunk / Math.Max(imageSize, 1));
        int chunks = (n + perChunk - 1) / perChunk;
        if (_planes.Length < chunks || _planes[0].Length < height * width)
            _planes = Enumerable.Range(0, chunks).Select(_ => new float[height * width]).ToArray();
        var body = (int chunk) =>
        {
            var all = images.Span;
            var plane = _planes[chunk];
            for (int i = chunk * perChunk; i < Math.Min(n, (chunk + 1) * perChunk); i++)
                AugmentImage(all.Slice(i * imageSize, imageSize), channels, height, width, _draws[i], plane);
        };
        if (chunks == 1 || Parallelism.ThreadCount == 1) for (int c = 0; c < chunks; c++) body(c);
        else Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.ThreadCount }, body);
        if (UsesMixup) MixBatch(images.Span, imageSize, n, targets ?? throw new ArgumentException("augmentation: mixup needs one-hot targets", nameof(targets)));
    }

    /// <summary>One image's random parameters.</summary>
    private readonly record struct ImageDraw(AffineTransform Transform, bool FlipHorizontal, bool FlipVertical, float ChannelShift, float Brightness, int CutoutRow, int CutoutCol);

    private ImageDraw Draw(int height, int width)
    {
        var c = _config;
        // Drawn in Keras' order; an option that is off draws nothing.
        double rotation = c.RotationRange > 0 ? _random.Uniform(-c.RotationRange, c.RotationRange) : 0;
        double rowShift = Shift(c.HeightShiftRange, c.HeightShiftChoices, height);
        double colShift = Shift(c.WidthShiftRange, c.WidthShiftChoices, width);
        double shear = c.ShearRange > 0 ? _random.Uniform(-c.ShearRange, c.ShearRange) : 0;
        bool zoom = c.ZoomRange != (1, 1);
        double rowZoom = zoom ? _random.Uniform(c.ZoomRange.Low, c.ZoomRange.High) : 1;
        double colZoom = zoom ? _random.Uniform(c.ZoomRange.Low, c.ZoomRange.High) : 1;
        bool flipH = c.HorizontalFlip && _random.NextDouble() < 0.5;
        bool flipV = c.VerticalFlip && _random.NextDouble() < 0.5;
        double channelShift = c.ChannelShiftRange > 0 ? _random.Uniform(-c.ChannelShiftRange, c.ChannelShiftRange) : 0;
        double brightness = c.BrightnessRange is { } b ? _random.Uniform(b.Low, b.High) : 1;
        var transform = c.HasAffine ? AffineTransform.Compose(rotation, rowShift, colShift, shear, rowZoom, colZoom, height, width) : AffineTransform.Identity;
        return new ImageDraw(transform, flipH, flipV, (float)channelShift, (float)brightness,
            c.CutoutSize > 0 ? _random.NextInt(height) : 0, c.CutoutSize > 0 ? _random.NextInt(width) : 0);
    }

    /// <summary>
    /// A shift in pixels: uniform in [-r, r], or (Keras' list form) a value of the list with a random
    /// sign; fractions of <paramref name="size"/> when below 1.
    /// </summary>
    private double Shift(double range, IReadOnlyList<double>? choices, int size)
    {
        if (choices is not null)
        {
            double picked = choices[_random.NextInt(choices.Count)] * (_random.NextDouble() < 0.5 ? -1 : 1);
            return choices.Max() < 1 ? picked * size : picked;
        }
        return range > 0 ? _random.Uniform(-range, range) * (range < 1 ? size : 1) : 0;
    }

    private void AugmentImage(Span<float> image, int channels, int height, int width, in ImageDraw draw, float[] scratch)
    {
        var c = _config;
        int planeSize = height * width;
        for (int ch = 0; ch < channels; ch++)
        {
            var plane = image.Slice(ch * planeSize, planeSize);
            if (!draw.Transform.IsIdentity)
            {
                plane.CopyTo(scratch);
                AffineWarp.Apply(scratch, plane, height, width, draw.Transform, c.FillMode, c.FillValue, c.Interpolation);
            }
            if (draw.FlipHorizontal) Flip.Horizontal(plane, height, width);
            if (draw.FlipVertical) Flip.Vertical(plane, height, width);
        }
        if (draw.ChannelShift != 0) ShiftChannels(image, draw.ChannelShift);
        if (draw.Brightness != 1) TensorPrimitives.Multiply(image, draw.Brightness, image);
        if (c.CutoutSize > 0)
            Cutout.Erase(image, channels, height, width, draw.CutoutRow, draw.CutoutCol, c.CutoutSize, c.CutoutValue);
    }

    /// <summary>Keras' apply_channel_shift: every value moves by the same amount, clipped to the image's range before the shift.</summary>
    internal static void ShiftChannels(Span<float> image, float shift)
    {
        float min = TensorPrimitives.Min(image), max = TensorPrimitives.Max(image);
        for (int i = 0; i < image.Length; i++) image[i] = Math.Clamp(image[i] + shift, min, max);
    }

    private void MixBatch(Span<float> images, int imageSize, int n, Tensor targets)
    {
        if (targets.Rank != 2 || targets.Shape[0] != n)
            throw new ArgumentException($"augmentation: mixup needs one-hot targets of shape ({n}, classes), got {targets.Shape}", nameof(targets));
        float lambda = (float)_random.Beta(_config.MixupAlpha, _config.MixupAlpha);
        if (_partners.Length < n) _partners = new int[n];
        var partners = _partners.AsSpan(0, n);
        for (int i = 0; i < n; i++) partners[i] = i;
        _random.Shuffle(partners);
        if (_imageScratch.Length < n * imageSize) _imageScratch = new float[n * imageSize];
        if (_targetScratch.Length < targets.Size) _targetScratch = new float[targets.Size];
        Mixup.Blend(images, imageSize, partners, lambda, _imageScratch);
        Mixup.Blend(targets.Span, targets.Shape[1], partners, lambda, _targetScratch);
    }
}
