using Sparta.Data.Augmentation;

namespace Sparta.Tests.Data.Augmentation;

public class AugmentationParametersTests
{
    [Fact]
    public void ReadsKerasNames()
    {
        var config = AugmentationParameters.Parse(new Dictionary<string, string>
        {
            ["rotation_range"] = "15", ["width_shift_range"] = "0.1", ["height_shift_range"] = "2", ["shear_range"] = "5",
            ["zoom_range"] = "0.2", ["horizontal_flip"] = "true", ["brightness_range"] = "[0.8, 1.2]", ["fill_mode"] = "reflect",
            ["cval"] = "0.5", ["interpolation"] = "nearest", ["cutout_size"] = "8", ["mixup_alpha"] = "0.2",
        });

        Assert.Equal(new AugmentationConfig
        {
            RotationRange = 15, WidthShiftRange = 0.1, HeightShiftRange = 2, ShearRange = 5, ZoomRange = (0.8, 1.2),
            HorizontalFlip = true, BrightnessRange = (0.8, 1.2), FillMode = FillMode.Reflect, FillValue = 0.5f,
            Interpolation = Interpolation.Nearest, CutoutSize = 8, MixupAlpha = 0.2,
        }, config);
        Assert.Equal((0.9, 1.3), AugmentationParameters.Parse(new Dictionary<string, string> { ["zoom_range"] = "[0.9, 1.3]" }).ZoomRange);
    }

    [Fact]
    public void ReadsListFormShiftsAndChannelShift()
    {
        var config = AugmentationParameters.Parse(new Dictionary<string, string>
        {
            ["width_shift_range"] = "[-2, 0, 2]", ["height_shift_range"] = "[0.1]", ["channel_shift_range"] = "20",
        });
        Assert.Equal([-2.0, 0, 2], config.WidthShiftChoices);
        Assert.Equal([0.1], config.HeightShiftChoices);
        Assert.Equal(0, config.WidthShiftRange);
        Assert.Equal(20, config.ChannelShiftRange);
    }

    [Theory]
    [InlineData("width_shift_range", "[1, two]", "width_shift_range must be a number, got 'two'")]
    [InlineData("rotation", "10", "unknown parameter 'rotation'")]
    [InlineData("fill_mode", "mirror", "got 'mirror'")]
    [InlineData("horizontal_flip", "yes", "got 'yes'")]
    [InlineData("brightness_range", "1.2", "got '1.2'")]
    [InlineData("cutout_size", "2.5", "got '2.5'")]
    [InlineData("shear_range", "120", "shear_range is out of range, got 120")]
    public void BadValuesNameTheKeyAndValue(string key, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => AugmentationParameters.Parse(new Dictionary<string, string> { [key] = value }));
        Assert.Contains(message, e.Message);
    }
}
