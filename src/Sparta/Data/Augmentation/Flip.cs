namespace Sparta.Data.Augmentation;

/// <summary>Mirror images in place: horizontal reverses each row (left-right), vertical reverses the row order.</summary>
internal static class Flip
{
    public static void Horizontal(Span<float> plane, int height, int width)
    {
        for (int r = 0; r < height; r++) plane.Slice(r * width, width).Reverse();
    }

    public static void Vertical(Span<float> plane, int height, int width)
    {
        for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--)
        {
            var a = plane.Slice(top * width, width);
            var b = plane.Slice(bottom * width, width);
            for (int c = 0; c < width; c++) (a[c], b[c]) = (b[c], a[c]);
        }
    }
}
