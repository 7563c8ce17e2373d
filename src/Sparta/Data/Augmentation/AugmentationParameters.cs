using System.Globalization;
using Sparta.Configuration;

namespace Sparta.Data.Augmentation;

/// <summary>
/// An <see cref="AugmentationConfig"/> from the text parameters of an experiment file, under Keras'
/// ImageDataGenerator names (<c>rotation_range: 15</c>, <c>zoom_range: [0.9, 1.1]</c>, <c>width_shift_range: [-2, 0, 2]</c>,
/// <c>fill_mode: reflect</c>), plus <c>cutout_size</c>, <c>cutout_value</c> and <c>mixup_alpha</c>.
/// </summary>
public static class AugmentationParameters
{
    private static readonly Dictionary<string, Func<AugmentationConfig, string, string, AugmentationConfig>> Setters = new(StringComparer.Ordinal)
    {
        ["rotation_range"] = (c, key, text) => c with { RotationRange = Number(key, text) },
        ["width_shift_range"] = (c, key, text) => IsList(text) ? c with { WidthShiftChoices = Numbers(key, text) } : c with { WidthShiftRange = Number(key, text) },
        ["height_shift_range"] = (c, key, text) => IsList(text) ? c with { HeightShiftChoices = Numbers(key, text) } : c with { HeightShiftRange = Number(key, text) },
        ["channel_shift_range"] = (c, key, text) => c with { ChannelShiftRange = Number(key, text) },
        ["shear_range"] = (c, key, text) => c with { ShearRange = Number(key, text) },
        ["zoom_range"] = (c, key, text) => c with { ZoomRange = Range(key, text, single: z => (1 - z, 1 + z)) },
        ["horizontal_flip"] = (c, key, text) => c with { HorizontalFlip = Flag(key, text) },
        ["vertical_flip"] = (c, key, text) => c with { VerticalFlip = Flag(key, text) },
        ["brightness_range"] = (c, key, text) => c with { BrightnessRange = Range(key, text, single: null) },
        ["fill_mode"] = (c, key, text) => c with { FillMode = Enum<FillMode>(key, text) },
        ["cval"] = (c, key, text) => c with { FillValue = (float)Number(key, text) },
        ["interpolation"] = (c, key, text) => c with { Interpolation = Enum<Interpolation>(key, text) },
        ["cutout_size"] = (c, key, text) => c with { CutoutSize = Whole(key, text) },
        ["cutout_value"] = (c, key, text) => c with { CutoutValue = (float)Number(key, text) },
        ["mixup_alpha"] = (c, key, text) => c with { MixupAlpha = Number(key, text) },
    };

    /// <summary>The parameter names an experiment file's <c>augmentation</c> accepts.</summary>
    public static IReadOnlyCollection<string> Names => Setters.Keys;

    public static AugmentationConfig Parse(IReadOnlyDictionary<string, string> parameters)
    {
        var config = new AugmentationConfig();
        foreach (var (key, text) in parameters)
            config = Setters.TryGetValue(key, out var set) ? set(config, key, text)
                : throw new ArgumentException($"augmentation: unknown parameter '{key}'; {NameSuggestions.Hint(key, Setters.Keys)}");
        config.Validate();
        return config;
    }

    private static double Number(string key, string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw new ArgumentException($"augmentation: {key} must be a number, got '{text}'");

    private static bool IsList(string text) => text.TrimStart().StartsWith('[');

    /// <summary>"[a, b, c]": the values of a list-form argument.</summary>
    private static double[] Numbers(string key, string text) =>
        text.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Number(key, v)).ToArray();

    private static int Whole(string key, string text)
    {
        double v = Number(key, text);
        return v == Math.Floor(v) && v >= int.MinValue && v <= int.MaxValue ? (int)v
            : throw new ArgumentException($"augmentation: {key} must be a whole number, got '{text}'");
    }

    private static bool Flag(string key, string text) => bool.TryParse(text.Trim(), out bool v) ? v
        : throw new ArgumentException($"augmentation: {key} must be true or false, got '{text}'");

    private static T Enum<T>(string key, string text) where T : struct, System.Enum =>
        System.Enum.TryParse(text.Trim(), ignoreCase: true, out T v) && System.Enum.IsDefined(v) ? v
            : throw new ArgumentException($"augmentation: {key} must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'");

    /// <summary>"[low, high]" (or "low, high"); a single number when <paramref name="single"/> says how to widen it.</summary>
    private static (double, double) Range(string key, string text, Func<double, (double, double)>? single)
    {
        var parts = text.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2) return (Number(key, parts[0]), Number(key, parts[1]));
        if (parts.Length == 1 && single is not null) return single(Number(key, parts[0]));
        throw new ArgumentException($"augmentation: {key} must be {(single is null ? "" : "a number or ")}[low, high], got '{text}'");
    }
}
