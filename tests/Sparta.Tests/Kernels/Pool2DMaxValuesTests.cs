using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>The inference max pool (values only) against the recording kernel, bit for bit, ties, zeros' signs and NaN included.</summary>
public class Pool2DMaxValuesTests
{
    [Theory]
    [InlineData(4, 4)]     // 2 outputs a row: one at a time
    [InlineData(28, 28)]   // 14 a row: a vector and an overlapping one
    [InlineData(14, 14)]   // 7 a row: one vector spilling into the next row, the buffers' last row one at a time
    [InlineData(15, 15)]   // 7 a row, an odd row and column skipped between windows
    [InlineData(3, 3)]     // 1 a row: the vector spans the next plane
    [InlineData(8, 6)]     // 3 a row, 4 rows
    [InlineData(5, 37)]    // odd sides: the last row and column are left out
    [InlineData(2, 16)]    // exactly one vector
    [InlineData(6, 70)]    // 35 a row
    public void Values_equal_the_recording_kernels_bit_for_bit(int height, int width)
    {
        if (!AvxSupported) return;
        var window = ConvWindow.Create(height, width, 2, 2, 2, 2, ConvPadding.Valid);
        Assert.True(Pool2DMaxValues.Handles(window));
        const int planes = 3;
        var random = new RandomGenerator((ulong)(height * 100 + width));
        // Few distinct values so windows tie; zeros of both signs and NaN in every position of a window.
        float[] choices = [0f, -0f, 1f, -1f, 2f, float.NaN, 0.5f];
        var x = new float[planes * window.InputPixels];
        for (int i = 0; i < x.Length; i++) x[i] = choices[random.NextInt(choices.Length)];
        var expected = new float[planes * window.OutPixels];
        Pool2D.MaxForward(window, planes, x, expected, new int[expected.Length]);
        var actual = new float[expected.Length];
        Pool2DMaxValues.Forward(window, planes, x, actual);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"output {i}: {actual[i]}, the recording kernel gives {expected[i]}");
    }

    [Fact]
    public void Other_windows_are_refused_with_the_window()
    {
        var window = ConvWindow.Create(6, 6, 3, 3, 2, 2, ConvPadding.Valid);
        Assert.False(Pool2DMaxValues.Handles(window));
        var error = Assert.Throws<ArgumentException>(() => Pool2DMaxValues.Forward(window, 1, new float[36], new float[4]));
        Assert.Contains("2x2 windows of stride 2", error.Message);
    }

    [Fact]
    public void Short_buffers_are_named()
    {
        if (!AvxSupported) return;
        var window = ConvWindow.Create(4, 4, 2, 2, 2, 2, ConvPadding.Valid);
        var error = Assert.Throws<ArgumentException>(() => Pool2DMaxValues.Forward(window, 2, new float[16], new float[8]));
        Assert.Contains("input", error.Message);
    }

    /// <summary>Whether the kernel runs here: AVX, at a vector width of 256 bits or more.</summary>
    private static bool AvxSupported => System.Runtime.Intrinsics.X86.Avx.IsSupported && VectorWidth.Uses256;
}
