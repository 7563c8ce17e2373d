using System.Runtime.CompilerServices;

namespace Sparta.Data.Augmentation;

/// <summary>Resamples one image plane through an <see cref="AffineTransform"/> (inverse mapping, bilinear or nearest).</summary>
internal static class AffineWarp
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, int height, int width,
        in AffineTransform t, FillMode fill, float fillValue, Interpolation interpolation)
    {
        for (int r = 0; r < height; r++)
        {
            // Walk along the output row: the input point moves by the matrix's second column.
            double y = t.A00 * r + t.B0, x = t.A10 * r + t.B1;
            var row = destination.Slice(r * width, width);
            if (interpolation == Interpolation.Bilinear)
                for (int c = 0; c < width; c++, y += t.A01, x += t.A11)
                    row[c] = Bilinear(source, height, width, y, x, fill, fillValue);
            else
                for (int c = 0; c < width; c++, y += t.A01, x += t.A11)
                    row[c] = Tap(source, height, width, (int)Math.Floor(y + 0.5), (int)Math.Floor(x + 0.5), fill, fillValue);
        }
    }

    private static float Bilinear(ReadOnlySpan<float> source, int height, int width, double y, double x, FillMode fill, float fillValue)
    {
        double fy = Math.Floor(y), fx = Math.Floor(x);
        int r0 = (int)fy, c0 = (int)fx;
        float wy = (float)(y - fy), wx = (float)(x - fx);
        float v00, v01, v10, v11;
        if ((uint)r0 < (uint)(height - 1) && (uint)c0 < (uint)(width - 1))
        {
            int i = r0 * width + c0;
            v00 = source[i]; v01 = source[i + 1]; v10 = source[i + width]; v11 = source[i + width + 1];
        }
        else
        {
            v00 = Tap(source, height, width, r0, c0, fill, fillValue);
            v01 = Tap(source, height, width, r0, c0 + 1, fill, fillValue);
            v10 = Tap(source, height, width, r0 + 1, c0, fill, fillValue);
            v11 = Tap(source, height, width, r0 + 1, c0 + 1, fill, fillValue);
        }
        float top = v00 + wx * (v01 - v00), bottom = v10 + wx * (v11 - v10);
        return top + wy * (bottom - top);
    }

    private static float Tap(ReadOnlySpan<float> source, int height, int width, int r, int c, FillMode fill, float fillValue)
    {
        if ((uint)r < (uint)height && (uint)c < (uint)width) return source[r * width + c];
        if (fill == FillMode.Constant) return fillValue;
        return source[Boundary(r, height, fill) * width + Boundary(c, width, fill)];
    }

    /// <summary>An index outside [0, n) brought inside by the fill mode (never Constant).</summary>
    internal static int Boundary(int i, int n, FillMode fill)
    {
        switch (fill)
        {
            case FillMode.Nearest:
                return Math.Clamp(i, 0, n - 1);
            case FillMode.Wrap:
                return ((i % n) + n) % n;
            case FillMode.Reflect:
                int m = ((i % (2 * n)) + 2 * n) % (2 * n);
                return m < n ? m : 2 * n - 1 - m;
            default:
                throw new ArgumentOutOfRangeException(nameof(fill), $"fill mode {fill} maps no index");
        }
    }
}
