namespace Sparta.Data.Augmentation;

/// <summary>Cutout (DeVries and Taylor 2017): erase a square across all channels of one image.</summary>
internal static class Cutout
{
    public static void Erase(Span<float> image, int channels, int height, int width, int centerRow, int centerCol, int size, float value)
    {
        int top = Math.Max(centerRow - size / 2, 0), bottom = Math.Min(centerRow - size / 2 + size, height);
        int left = Math.Max(centerCol - size / 2, 0), right = Math.Min(centerCol - size / 2 + size, width);
        if (top >= bottom || left >= right) return;
        for (int ch = 0; ch < channels; ch++)
            for (int r = top; r < bottom; r++)
                image.Slice((ch * height + r) * width + left, right - left).Fill(value);
    }
}
