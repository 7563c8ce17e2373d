using Sparta.Data.Augmentation;

namespace Sparta.Tests.Data.Augmentation;

public class AffineWarpTests
{
    private static float[] Image(int h, int w) => Enumerable.Range(0, h * w).Select(i => (float)(i * 3 % 17 + i)).ToArray();

    private static float[] Warp(float[] source, int h, int w, AffineTransform t, FillMode fill = FillMode.Constant, Interpolation interpolation = Interpolation.Bilinear, float fillValue = -1)
    {
        var result = new float[h * w];
        AffineWarp.Apply(source, result, h, w, t, fill, fillValue, interpolation);
        return result;
    }

    [Fact]
    public void IdentityLeavesTheImage()
    {
        var image = Image(5, 6);
        Assert.Equal(image, Warp(image, 5, 6, AffineTransform.Compose(0, 0, 0, 0, 1, 1, 5, 6)));
    }

    [Theory]
    [InlineData(Interpolation.Bilinear)]
    [InlineData(Interpolation.Nearest)]
    public void Rotating90DegreesIsATransposeOfTheVerticalFlip(Interpolation interpolation)
    {
        const int n = 6;
        var image = Image(n, n);
        var rotated = Warp(image, n, n, AffineTransform.Compose(90, 0, 0, 0, 1, 1, n, n), interpolation: interpolation);
        var rotatedBack = Warp(image, n, n, AffineTransform.Compose(-90, 0, 0, 0, 1, 1, n, n), interpolation: interpolation);

        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                Assert.Equal(image[(n - 1 - c) * n + r], rotated[r * n + c], 3);
                Assert.Equal(image[c * n + (n - 1 - r)], rotatedBack[r * n + c], 3);
            }
    }

    [Fact]
    public void WholePixelShiftMovesContentAndFillsTheEdge()
    {
        const int h = 4, w = 5;
        var image = Image(h, w);
        var shifted = Warp(image, h, w, AffineTransform.Compose(0, 1, -2, 0, 1, 1, h, w), fillValue: -7);

        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                int sr = r + 1, sc = c - 2;
                float expected = sr < h && sc >= 0 ? image[sr * w + sc] : -7;
                Assert.Equal(expected, shifted[r * w + c], 4);
            }
    }

    [Fact]
    public void HalfPixelShiftAveragesNeighbours()
    {
        var image = Image(3, 4);
        var shifted = Warp(image, 3, 4, AffineTransform.Compose(0, 0, 0.5, 0, 1, 1, 3, 4), fill: FillMode.Nearest);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                Assert.Equal((image[r * 4 + c] + image[r * 4 + Math.Min(c + 1, 3)]) / 2, shifted[r * 4 + c], 4);
    }

    [Fact]
    public void ZoomTwoSamplesEveryOtherPixelAroundTheCentre()
    {
        var image = Image(5, 5);
        var zoomed = Warp(image, 5, 5, AffineTransform.Compose(0, 0, 0, 0, 2, 2, 5, 5), fill: FillMode.Constant, fillValue: 0);
        // input = 2·(out - 2) + 2: output (1, 1) samples input (0, 0), the centre stays.
        Assert.Equal(image[0], zoomed[1 * 5 + 1]);
        Assert.Equal(image[2 * 5 + 2], zoomed[2 * 5 + 2]);
        Assert.Equal(image[4 * 5 + 4], zoomed[3 * 5 + 3]);
        Assert.Equal(0, zoomed[0]);
    }

    [Theory]
    [InlineData(FillMode.Nearest, new[] { 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3 })]
    [InlineData(FillMode.Reflect, new[] { 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0 })]
    [InlineData(FillMode.Wrap, new[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3 })]
    public void FillModesFollowTheKerasPatterns(FillMode fill, int[] expected)
    {
        // Indices -4..7 on a row of 4: aaaa|abcd|dddd, dcba|abcd|dcba, abcd|abcd|abcd.
        Assert.Equal(expected, Enumerable.Range(-4, 12).Select(i => AffineWarp.Boundary(i, 4, fill)));
    }

    [Fact]
    public void FlipsMirrorAndAreInvolutions()
    {
        const int h = 3, w = 4;
        var image = Image(h, w);
        var horizontal = (float[])image.Clone();
        Flip.Horizontal(horizontal, h, w);
        var vertical = (float[])image.Clone();
        Flip.Vertical(vertical, h, w);

        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                Assert.Equal(image[r * w + (w - 1 - c)], horizontal[r * w + c]);
                Assert.Equal(image[(h - 1 - r) * w + c], vertical[r * w + c]);
            }
        Flip.Horizontal(horizontal, h, w);
        Flip.Vertical(vertical, h, w);
        Assert.Equal(image, horizontal);
        Assert.Equal(image, vertical);
    }
}
