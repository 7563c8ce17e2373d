using Sparta.Kernels;
using Sparta.Kernels.Vectors;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The 2x2 max pooling at every vector width this machine runs, called directly so each is checked on
/// every machine (an AVX-512 one would otherwise never run the narrower ones), and its backward at every
/// width (a width the processor lacks runs emulated): values and indices are the first maximum in window
/// order, ties and NaNs included, for rows of whole vectors, rows with a tail and rows shorter than a vector;
/// backward puts each gradient at its recorded cell and zero at the window's others (or adds it), and
/// names the first index outside its window.
/// </summary>
public unsafe class Pool2DMax2x2Tests
{
    [Theory]
    [InlineData(4, 16)]
    [InlineData(6, 19)]
    [InlineData(5, 6)]
    [InlineData(28, 28)]
    [InlineData(3, 37)]
    [InlineData(4, 70)]  // 35 outputs a row: two whole vectors of 16 and a third ending at the last output
    [InlineData(2, 2)]   // one output a row
    public void ValuesAndIndicesAreTheFirstMaximumInWindowOrder(int h, int w)
    {
        const int planes = 3;
        var window = ConvWindow.Create(h, w, 2, 2, 2, 2, ConvPadding.Valid);
        var random = new Random(h * 100 + w);
        // Few distinct values (ties everywhere, as in ReLU outputs), a negative zero and some NaNs.
        float[] choices = [0f, -0f, 1f, 2f, float.NaN];
        var x = Enumerable.Range(0, planes * h * w).Select(_ => choices[random.Next(choices.Length)]).ToArray();
        Assert.True(Pool2DMax2x2.Handles(window));
        AssertFirstMaxima(window, planes, x, Forward<Float128>);
        if (Float256.IsHardwareAccelerated) AssertFirstMaxima(window, planes, x, Forward<Float256>);
        if (Float512.IsHardwareAccelerated) AssertFirstMaxima(window, planes, x, Forward<Float512>);
        AssertFirstMaxima(window, planes, x, Pool2DMax2x2.Forward);
    }

    private delegate void ForwardKernel(in ConvWindow window, int planes, float* x, float* y, int* argmax);

    private static void Forward<TVector>(in ConvWindow window, int planes, float* x, float* y, int* argmax)
        where TVector : struct, IFloatVector<TVector> => Pool2DMax2x2.Forward<TVector>(window, planes, x, y, argmax);

    /// <summary>Runs <paramref name="kernel"/> into outputs filled with garbage, and checks every value and index.</summary>
    private static void AssertFirstMaxima(ConvWindow window, int planes, float[] x, ForwardKernel kernel)
    {
        var y = Enumerable.Repeat(12345f, planes * window.OutPixels).ToArray();
        var argmax = Enumerable.Repeat(-1, y.Length).ToArray();
        fixed (float* xp = x, yp = y)
        fixed (int* ap = argmax)
            kernel(window, planes, xp, yp, ap);
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

    private delegate void BackwardKernel(in ConvWindow window, int planes, float* dy, int* argmax, float* dx, bool accumulate);

    private static void Backward<TVector>(in ConvWindow window, int planes, float* dy, int* argmax, float* dx, bool accumulate)
        where TVector : struct, IFloatVector<TVector> => Pool2DMax2x2Backward.Backward<TVector>(window, planes, dy, argmax, dx, accumulate);

    /// <summary>Each width's kernel, and the dispatch at the width in use.</summary>
    private static readonly (string Name, BackwardKernel Kernel)[] BackwardKernels =
    [
        ("1 lane", Backward<Float1>), ("128 bits", Backward<Float128>), ("256 bits", Backward<Float256>),
        ("512 bits", Backward<Float512>), ("dispatch", Pool2DMax2x2Backward.Backward),
    ];

    [Theory]
    [InlineData(4, 16, false)]
    [InlineData(6, 19, false)]
    [InlineData(5, 6, true)]
    [InlineData(28, 28, false)]
    [InlineData(28, 28, true)]
    [InlineData(14, 14, false)] // seven outputs a row: fewer than 8, one more than 4
    [InlineData(14, 14, true)]
    [InlineData(3, 37, true)]
    [InlineData(2, 70, false)]  // 35 outputs a row: a last vector ending at the last output at every width
    [InlineData(2, 70, true)]
    [InlineData(2, 2, false)]   // one output a row
    public void BackwardPutsEachGradientAtItsRecordedCell(int h, int w, bool accumulate)
    {
        foreach (var (name, kernel) in BackwardKernels) AssertGradientsAtRecordedCells(h, w, accumulate, name, kernel);
    }

    private static void AssertGradientsAtRecordedCells(int h, int w, bool accumulate, string name, BackwardKernel kernel)
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
            kernel(window, planes, dyp, ap, dxp, accumulate);
        for (int i = 0; i < dx.Length; i++) Assert.True(expected[i] == dx[i], $"{name}: dx[{i}] = {dx[i]}, expected {expected[i]}");
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(6, 2)]
    [InlineData(13, 2)]
    [InlineData(5, 1 << 24)]   // past 2²⁴, where a float no longer holds every whole number
    [InlineData(16, -1)]
    public void BackwardNamesTheFirstIndexOutsideItsWindow(int badOutput, int shift)
    {
        // 4x28: two rows of fourteen outputs, 8 in a vector and six after (or 4, 4, 4 and two); output 13 is the first row's last.
        var window = ConvWindow.Create(4, 28, 2, 2, 2, 2, ConvPadding.Valid);
        var argmax = Enumerable.Range(0, 2 * 14).Select(t => t / 14 * 56 + 2 * (t % 14)).ToArray();
        argmax[badOutput] += shift;
        int bad = argmax[badOutput];
        foreach (var (name, kernel) in BackwardKernels)
        foreach (bool accumulate in new[] { false, true })
        {
            var error = Assert.Throws<ArgumentException>(() =>
            {
                fixed (float* dyp = new float[28], dxp = new float[112])
                fixed (int* ap = argmax)
                    kernel(window, 1, dyp, ap, dxp, accumulate);
            });
            Assert.True(error.Message.Contains($"argmax[{badOutput}] must be a cell of its window, got {bad}"), $"{name}: {error.Message}");
        }
    }
}
