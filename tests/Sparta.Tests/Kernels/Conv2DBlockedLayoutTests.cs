using Sparta.Kernels;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The channels-blocked layout both ways against its definition, at 4, 8 and 16 lanes: whole blocks
/// (transposed 8 channels by 8 pixels at a time where AVX runs, 4 by 4 at 4 lanes), partial blocks whose first 8
/// channels are whole, ragged pixel counts, and the zeroed padding channels.
/// </summary>
public unsafe class Conv2DBlockedLayoutTests
{
    [Theory]
    [InlineData(16, 32, 196)]
    [InlineData(16, 64, 49)]
    [InlineData(16, 13, 21)]
    [InlineData(16, 24, 16)]
    [InlineData(16, 5, 7)]
    [InlineData(8, 16, 196)]
    [InlineData(8, 13, 23)]
    [InlineData(4, 10, 9)]
    [InlineData(4, 32, 196)]
    [InlineData(4, 13, 23)]
    [InlineData(4, 8, 4)]
    public void BothWaysMatchTheDefinition(int lanes, int channels, int pixels)
    {
        int blocks = (channels + lanes - 1) / lanes;
        var planes = new float[channels * pixels];
        for (int i = 0; i < planes.Length; i++) planes[i] = i + 1;
        var blocked = new float[blocks * pixels * lanes];
        Array.Fill(blocked, float.NaN);
        var back = new float[planes.Length];
        fixed (float* p = planes, b = blocked, r = back)
        {
            Conv2DBlockedLayout.FromPlanes(channels, pixels, lanes, blocks, p, b);
            Conv2DBlockedLayout.ToPlanes(channels, pixels, lanes, b, r);
        }
        for (int c = 0; c < blocks * lanes; c++)
        for (int q = 0; q < pixels; q++)
            Assert.Equal(c < channels ? planes[c * pixels + q] : 0f, blocked[(c / lanes * pixels + q) * lanes + c % lanes]);
        Assert.Equal(planes, back);
    }
}
