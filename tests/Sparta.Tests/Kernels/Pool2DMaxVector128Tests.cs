using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The 128-bit 2x2 max pooling, called directly so it is checked on every machine (an AVX-512 one
/// would otherwise never run it): values and indices are the first maximum in window order, ties
/// and NaNs included, for rows of whole vectors, rows with a tail and rows shorter than a vector.
/// </summary>
public unsafe class Pool2DMaxVector128Tests
{
    [Theory]
    [InlineData(4, 16)]
    [InlineData(6, 19)]
    [InlineData(5, 6)]
    [InlineData(28, 28)]
    [InlineData(3, 37)]
    public void ValuesAndIndicesAreTheFirstMaximumInWindowOrder(int h, int w)
    {
        const int planes = 3;
        var window = ConvWindow.Create(h, w, 2, 2, 2, 2, ConvPadding.Valid);
        var random = new Random(h * 100 + w);
        // Few distinct values (ties everywhere, as in ReLU outputs), a negative zero and some NaNs.
        float[] choices = [0f, -0f, 1f, 2f, float.NaN];
        var x = Enumerable.Range(0, planes * h * w).Select(_ => choices[random.Next(choices.Length)]).ToArray();
        var y = new float[planes * window.OutPixels];
        var argmax = new int[y.Length];
        fixed (float* xp = x, yp = y)
        fixed (int* ap = argmax)
            Pool2DMaxVector128.Forward(window, planes, xp, yp, ap);
        for (int plane = 0; plane < planes; plane++)
        for (int i = 0; i < window.OutHeight; i++)
        for (int j = 0; j < window.OutWidth; j++)
        {
            int best = 2 * i * w + 2 * j;
            foreach (int at in new[] { best + 1, best + w, best + w + 1 })
                if (x[plane * h * w + at] > x[plane * h * w + best]) best = at;
            int t = (plane * window.OutHeight + i) * window.OutWidth + j;
            Assert.Equal(best, argmax[t]);
            Assert.Equal(BitConverter.SingleToInt32Bits(x[plane * h * w + best]), BitConverter.SingleToInt32Bits(y[t]));
        }
    }
}
