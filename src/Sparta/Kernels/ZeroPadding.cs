namespace Sparta.Kernels;

/// <summary>
/// Zeros around each plane of (planes, H, W) values, and the adjoint: the interior taken back out.
/// One pass over the output, where a padding by concatenations made two copies and two zero tensors.
/// </summary>
internal static class ZeroPadding
{
    /// <summary>y (planes, H + 2·top, W + 2·left) = x (planes, H, W) with <paramref name="top"/> zero rows above and below, <paramref name="left"/> zero columns either side.</summary>
    public static void Pad(ReadOnlySpan<float> x, int planes, int height, int width, int top, int left, Span<float> y)
    {
        int outWidth = width + 2 * left, outPlane = (height + 2 * top) * outWidth;
        Check(x.Length, y.Length, planes, height, width, outPlane);
        for (int p = 0; p < planes; p++)
        {
            var target = y.Slice(p * outPlane, outPlane);
            var source = x.Slice(p * height * width, height * width);
            target[..(top * outWidth + left)].Clear();
            for (int r = 0; r < height; r++)
            {
                int start = (top + r) * outWidth + left;
                source.Slice(r * width, width).CopyTo(target.Slice(start, width));
                // The right border of this row and the left border of the next are adjacent.
                int gapEnd = r + 1 < height ? start + width + 2 * left : outPlane;
                target[(start + width)..gapEnd].Clear();
            }
            if (height == 0) target.Clear();
        }
    }

    /// <summary>x (planes, H, W) = the interior of y (planes, H + 2·top, W + 2·left): the gradient of <see cref="Pad"/>.</summary>
    public static void Crop(ReadOnlySpan<float> y, int planes, int height, int width, int top, int left, Span<float> x)
    {
        int outWidth = width + 2 * left, outPlane = (height + 2 * top) * outWidth;
        Check(x.Length, y.Length, planes, height, width, outPlane);
        for (int p = 0; p < planes; p++)
            for (int r = 0; r < height; r++)
                y.Slice(p * outPlane + (top + r) * outWidth + left, width).CopyTo(x.Slice((p * height + r) * width, width));
    }

    private static void Check(int inputLength, int outputLength, int planes, int height, int width, int outPlane)
    {
        ConvArguments.Length("zero_padding", "x", inputLength, (long)planes * height * width, $"planes x H x W = {planes}x{height}x{width}");
        ConvArguments.Length("zero_padding", "y", outputLength, (long)planes * outPlane, "the padded planes' length");
    }
}
