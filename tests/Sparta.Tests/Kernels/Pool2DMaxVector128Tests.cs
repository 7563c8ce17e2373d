using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The 128-bit 2x2 max pooling, called directly so it is checked on every machine (an AVX-512 one
/// would otherwise never run it), and the AVX2 one beside it where the machine has AVX2: values and indices are the first maximum in window order, ties
/// and NaNs included, for rows of whole vectors, rows with a tail and rows shorter than a vector;
/// backward puts each gradient at its recorded cell and zero at the window's others (or adds it), and
/// names the first index outside its window.
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
        AssertFirstMaxima(window, planes, x, y, argmax);
        // The AVX2 path for rows of eight outputs or more, where the machine has it.
        if (!Pool2DMax2x2Avx2.Handles(window)) return;
        Array.Fill(y, 12345f);
        Array.Fill(argmax, -1);
        fixed (float* xp = x, yp = y)
        fixed (int* ap = argmax)
            Pool2DMax2x2Avx2.Forward(window, planes, xp, yp, ap);
        AssertFirstMaxima(window, planes, x, y, argmax);
    }

    private static void AssertFirstMaxima(ConvWindow window, int planes, float[] x, float[] y, int[] argmax)
    {
        int h = window.Height, w = window.Width;
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

    [Theory]
    [InlineData(4, 16, false)]
    [InlineData(6, 19, false)]
    [InlineData(5, 6, true)]
    [InlineData(28, 28, false)]
    [InlineData(28, 28, true)]
    [InlineData(3, 37, true)]
    public void BackwardPutsEachGradientAtItsRecordedCell(int h, int w, bool accumulate)
    {
        const int planes = 3;
        var window = ConvWindow.Create(h, w, 2, 2, 2, 2, ConvPadding.Valid);
        var random = new Random(h * 1000 + w);
        int outputs = planes * window.OutPixels;
        // Any of the four cells of each window, and gradients of both signs (a negative zero among them).
        var argmax = new int[outputs];
        var dy = new float[outputs];
        for (int t = 0; t < outputs; t++)
        {
            int i = t % window.OutPixels / window.OutWidth, j = t % window.OutWidth;
            argmax[t] = 2 * i * w + 2 * j + random.Next(2) + w * random.Next(2);
            dy[t] = t % 17 == 0 ? -0f : (float)(random.NextDouble() - 0.5);
        }
        var start = Enumerable.Range(0, planes * h * w).Select(_ => accumulate ? (float)random.NextDouble() : float.NaN).ToArray();
        var expected = start.Select(v => accumulate ? v : 0f).ToArray();
        for (int t = 0; t < outputs; t++) expected[t / window.OutPixels * h * w + argmax[t]] += dy[t];
        var dx = (float[])start.Clone();
        fixed (float* dyp = dy, dxp = dx)
        fixed (int* ap = argmax)
            Pool2DMaxVector128.Backward(window, planes, dyp, ap, dxp, accumulate);
        for (int i = 0; i < dx.Length; i++) Assert.True(expected[i] == dx[i], $"dx[{i}] = {dx[i]}, expected {expected[i]}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void BackwardNamesTheFirstIndexOutsideItsWindow(int badOutput)
    {
        // 4x14: one row of seven outputs, four in a vector and three after; output 6 is the last.
        var window = ConvWindow.Create(4, 14, 2, 2, 2, 2, ConvPadding.Valid);
        var argmax = Enumerable.Range(0, 2 * 7).Select(t => t / 7 * 28 + 2 * (t % 7)).ToArray();
        argmax[badOutput] = 2 * badOutput + 2;
        var dx = new float[56];
        var error = Assert.Throws<ArgumentException>(() =>
        {
            fixed (float* dyp = new float[14], dxp = dx)
            fixed (int* ap = argmax)
                Pool2DMaxVector128.Backward(window, 1, dyp, ap, dxp, accumulate: false);
        });
        Assert.Contains($"argmax[{badOutput}] must be a cell of its window, got {2 * badOutput + 2}", error.Message);
    }
}
