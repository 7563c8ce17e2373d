namespace Sparta.Data.Augmentation;

/// <summary>How points outside the image are filled (Keras/scipy fill_mode).</summary>
public enum FillMode
{
    /// <summary>aaaa|abcd|dddd: the nearest edge pixel.</summary>
    Nearest,
    /// <summary>kkkk|abcd|kkkk: the constant <see cref="AugmentationConfig.FillValue"/>.</summary>
    Constant,
    /// <summary>dcba|abcd|dcba: mirrored about the edge.</summary>
    Reflect,
    /// <summary>abcd|abcd|abcd: periodic.</summary>
    Wrap,
}

public enum Interpolation { Nearest, Bilinear }

/// <summary>
/// Random augmentation of training images, named after Keras' ImageDataGenerator arguments. Each
/// image gets one affine transform (rotation, shift, shear, zoom about its centre), then flips,
/// brightness and cutout (one square per image); mixup then blends pairs of images and their one-hot labels.
/// </summary>
public sealed record AugmentationConfig
{
    /// <summary>Rotation drawn uniformly in [-r, r] degrees.</summary>
    public double RotationRange { get; init; }

    /// <summary>Horizontal shift: a fraction of the width when below 1, else pixels; drawn in [-r, r].</summary>
    public double WidthShiftRange { get; init; }

    /// <summary>Vertical shift: a fraction of the height when below 1, else pixels; drawn in [-r, r].</summary>
    public double HeightShiftRange { get; init; }

    /// <summary>
    /// Keras' list form of width_shift_range: one value is picked from the list and given a random
    /// sign; fractions of the width when every value is below 1, else pixels. Replaces <see cref="WidthShiftRange"/>.
    /// </summary>
    public IReadOnlyList<double>? WidthShiftChoices { get; init; }

    /// <summary>The list form of height_shift_range, as <see cref="WidthShiftChoices"/>.</summary>
    public IReadOnlyList<double>? HeightShiftChoices { get; init; }

    /// <summary>Keras' channel_shift_range: adds one value drawn in [-r, r] to every pixel of an image, clipped to the image's own [min, max].</summary>
    public double ChannelShiftRange { get; init; }

    /// <summary>Shear angle drawn in [-r, r] degrees (counter-clockwise).</summary>
    public double ShearRange { get; init; }

    /// <summary>Zoom factors drawn independently per axis in [low, high]; (1, 1) is no zoom. Above 1 shows more of the image (zooms out).</summary>
    public (double Low, double High) ZoomRange { get; init; } = (1, 1);

    public bool HorizontalFlip { get; init; }

    public bool VerticalFlip { get; init; }

    /// <summary>Multiplies the values by a factor drawn in [low, high]; null leaves them.</summary>
    public (double Low, double High)? BrightnessRange { get; init; }

    public FillMode FillMode { get; init; } = FillMode.Nearest;

    /// <summary>The value of points outside the image when <see cref="FillMode"/> is Constant (Keras' cval).</summary>
    public float FillValue { get; init; }

    public Interpolation Interpolation { get; init; } = Interpolation.Bilinear;

    /// <summary>Side in pixels of the square erased by cutout (0: no cutout); its centre is uniform over the image, so it may be clipped.</summary>
    public int CutoutSize { get; init; }

    public float CutoutValue { get; init; }

    /// <summary>Mixup's Beta(alpha, alpha) parameter (0: no mixup).</summary>
    public double MixupAlpha { get; init; }

    internal bool HasAffine => RotationRange != 0 || WidthShiftRange != 0 || HeightShiftRange != 0 || WidthShiftChoices is not null
        || HeightShiftChoices is not null || ShearRange != 0 || ZoomRange != (1, 1);

    /// <summary>Fails on ranges that make no sense, naming the argument and the value.</summary>
    public void Validate()
    {
        Check(RotationRange >= 0 && double.IsFinite(RotationRange), "rotation_range", RotationRange);
        Check(WidthShiftRange >= 0 && double.IsFinite(WidthShiftRange), "width_shift_range", WidthShiftRange);
        Check(HeightShiftRange >= 0 && double.IsFinite(HeightShiftRange), "height_shift_range", HeightShiftRange);
        Check(ShearRange >= 0 && ShearRange < 90, "shear_range", ShearRange);
        CheckChoices(WidthShiftChoices, "width_shift_range");
        CheckChoices(HeightShiftChoices, "height_shift_range");
        Check(ChannelShiftRange >= 0 && double.IsFinite(ChannelShiftRange), "channel_shift_range", ChannelShiftRange);
        if (!(ZoomRange.Low > 0 && ZoomRange.Low <= ZoomRange.High))
            throw new ArgumentException($"augmentation: zoom_range must satisfy 0 < low <= high, got [{ZoomRange.Low}, {ZoomRange.High}]");
        if (BrightnessRange is { } b && !(b.Low >= 0 && b.Low <= b.High))
            throw new ArgumentException($"augmentation: brightness_range must satisfy 0 <= low <= high, got [{b.Low}, {b.High}]");
        Check(CutoutSize >= 0, "cutout_size", CutoutSize);
        Check(MixupAlpha >= 0 && double.IsFinite(MixupAlpha), "mixup_alpha", MixupAlpha);
    }

    private static void CheckChoices(IReadOnlyList<double>? choices, string name)
    {
        if (choices is not null && (choices.Count == 0 || choices.Any(v => !double.IsFinite(v))))
            throw new ArgumentException($"augmentation: {name} as a list needs finite values to pick from, got [{string.Join(", ", choices)}]");
    }

    private static void Check(bool ok, string name, double value)
    {
        if (!ok) throw new ArgumentException($"augmentation: {name} is out of range, got {value}");
    }
}
