using Sparta.Kernels;
using static Sparta.Tests.Kernels.ConvTestMath;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

public class Pool2DTests
{
    public static TheoryData<int, int, int, int, int, int, ConvPadding> Cases => new()
    {
        // height, width, kernelH, kernelW, strideH, strideW, padding
        { 7, 6, 2, 2, 2, 2, ConvPadding.Valid },
        { 7, 7, 3, 3, 2, 2, ConvPadding.Same },
        { 5, 6, 3, 3, 1, 1, ConvPadding.Same },
        { 6, 5, 2, 2, 1, 1, ConvPadding.Valid },
        { 9, 5, 3, 2, 2, 1, ConvPadding.Same },
        { 8, 8, 2, 2, 2, 2, ConvPadding.Same },
        { 5, 37, 2, 2, 2, 2, ConvPadding.Valid },
        { 4, 65, 2, 2, 2, 2, ConvPadding.Same },
        { 6, 37, 3, 3, 1, 1, ConvPadding.Same },   // stride 1 rows long enough for vectors
        { 7, 19, 2, 5, 1, 1, ConvPadding.Same },   // uneven 'same' borders at stride 1
        // Windows inside the image, rows of 8 or more outputs (gathered on AVX2), ragged row ends.
        { 9, 35, 3, 3, 2, 2, ConvPadding.Valid },  // ResNet's and Inception's pool
        { 5, 20, 3, 3, 1, 1, ConvPadding.Valid },
        { 7, 29, 2, 3, 3, 2, ConvPadding.Valid },
    };

    private const int Planes = 5;

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxForwardMatchesTheDefinitionAndPointsAtTheMaximum(int h, int w, int kh, int kw, int sh, int sw, ConvPadding padding)
    {
        var window = ConvWindow.Create(h, w, kh, kw, sh, sw, padding);
        var x = RandomFloats(Planes * window.InputPixels, 1);
        float[] y = new float[Planes * window.OutPixels];
        int[] argmax = new int[y.Length];
        Pool2D.MaxForward(window, Planes, x, y, argmax);
        var expected = new double[y.Length];
        Pool2DScalar.MaxForward(window, Planes, ToDouble(x), expected);
        AssertClose(expected, y, 0, 0, "max");
        for (int t = 0; t < y.Length; t++)
            Assert.Equal(y[t], x[t / window.OutPixels * window.InputPixels + argmax[t]]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MaxForwardPointsAtTheFirstMaximumInWindowOrderOnTies(int h, int w, int kh, int kw, int sh, int sw, ConvPadding padding)
    {
        // Few distinct values, like ReLU outputs full of zeros: most windows hold ties.
        var window = ConvWindow.Create(h, w, kh, kw, sh, sw, padding);
        var random = new Random(6);
        var x = Enumerable.Range(0, Planes * window.InputPixels).Select(_ => (float)random.Next(3)).ToArray();
        var argmax = new int[Planes * window.OutPixels];
        Pool2D.MaxForward(window, Planes, x, new float[argmax.Length], argmax);
        for (int plane = 0; plane < Planes; plane++)
        for (int i = 0; i < window.OutHeight; i++)
        for (int j = 0; j < window.OutWidth; j++)
        {
            int expected = -1;
            for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
            {
                int row = i * sh - window.PadTop + p, column = j * sw - window.PadLeft + q;
                if (row < 0 || row >= h || column < 0 || column >= w) continue;
                int at = row * w + column;
                if (expected < 0 || x[plane * h * w + at] > x[plane * h * w + expected]) expected = at;
            }
            Assert.Equal(expected, argmax[(plane * window.OutHeight + i) * window.OutWidth + j]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AverageForwardMatchesTheDefinition(int h, int w, int kh, int kw, int sh, int sw, ConvPadding padding)
    {
        var window = ConvWindow.Create(h, w, kh, kw, sh, sw, padding);
        var x = RandomFloats(Planes * window.InputPixels, 2);
        float[] y = new float[Planes * window.OutPixels];
        Pool2D.AverageForward(window, Planes, x, y);
        var expected = new double[y.Length];
        Pool2DScalar.AverageForward(window, Planes, ToDouble(x), expected);
        AssertClose(expected, y, 1e-6, 1e-6, "average");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(int h, int w, int kh, int kw, int sh, int sw, ConvPadding padding)
    {
        var window = ConvWindow.Create(h, w, kh, kw, sh, sw, padding);
        var x = DistinctValues(Planes * window.InputPixels);
        var upstream = RandomFloats(Planes * window.OutPixels, 3);
        var argmax = new int[upstream.Length];
        Pool2D.MaxForward(window, Planes, x, new float[upstream.Length], argmax);
        float[] maxGrad = new float[x.Length], averageGrad = new float[x.Length];
        Pool2D.MaxBackward(window, Planes, upstream, argmax, maxGrad);
        Pool2D.AverageBackward(window, Planes, upstream, averageGrad);

        var point = ToDouble(x);
        double[] Max() { var y = new double[upstream.Length]; Pool2DScalar.MaxForward(window, Planes, point, y); return y; }
        double[] Average() { var y = new double[upstream.Length]; Pool2DScalar.AverageForward(window, Planes, point, y); return y; }
        AssertClose(NumericGradient(point, upstream, Max), maxGrad, 1e-5, 1e-4, "max gradient");
        AssertClose(NumericGradient(point, upstream, Average), averageGrad, 1e-5, 1e-4, "average gradient");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]  // the separable box filter of stride 1
    public void AccumulateAddsToTheGradientAlreadyThere(int stride)
    {
        var window = ConvWindow.Create(5, 6, 3, 3, stride, stride, ConvPadding.Same);
        var upstream = RandomFloats(Planes * window.OutPixels, 4);
        var argmax = new int[upstream.Length];
        Pool2D.MaxForward(window, Planes, DistinctValues(Planes * window.InputPixels), new float[upstream.Length], argmax);
        foreach (bool max in new[] { true, false })
        {
            float[] fresh = new float[Planes * window.InputPixels], added = Enumerable.Repeat(2f, fresh.Length).ToArray();
            if (max) { Pool2D.MaxBackward(window, Planes, upstream, argmax, fresh); Pool2D.MaxBackward(window, Planes, upstream, argmax, added, accumulate: true); }
            else { Pool2D.AverageBackward(window, Planes, upstream, fresh); Pool2D.AverageBackward(window, Planes, upstream, added, accumulate: true); }
            AssertClose(ToDouble(fresh).Select(v => v + 2).ToArray(), added, 1e-6, 1e-6, max ? "max" : "average");
        }
    }

    [Fact]
    public void BadArgumentsAreNamedWithTheValueReceived()
    {
        var window = ConvWindow.Create(4, 4, 2, 2, 2, 2, ConvPadding.Valid);
        AssertArgumentError(() => Pool2D.MaxForward(window, 2, new float[31], new float[8], new int[8]), "input", "2x4x4=32", "got 31");
        AssertArgumentError(() => Pool2D.MaxForward(window, 2, new float[32], new float[8], new int[9]), "argmax", "got 9");
        AssertArgumentError(() => Pool2D.AverageForward(window, -3, new float[32], new float[8]), "planes", "got -3");
        AssertArgumentError(() => Pool2D.AverageBackward(window, 2, new float[7], new float[32]), "outputGrad", "got 7");
        AssertArgumentError(() => Pool2D.MaxBackward(window, 1, new float[4], new[] { 0, 2, 5, 10 }, new float[16]), "argmax[2]", "got 5");
        var wide = ConvWindow.Create(3, 19, 3, 3, 2, 2, ConvPadding.Valid);
        var wideArgmax = Enumerable.Range(0, 9).Select(ow => 2 * ow).ToArray();
        wideArgmax[4] = 3 * 19 + 8;
        AssertArgumentError(() => Pool2D.MaxBackward(wide, 1, new float[9], wideArgmax, new float[57]), "argmax[4]", "got 65");
        var overlapping = ConvWindow.Create(4, 4, 3, 3, 1, 1, ConvPadding.Valid);
        AssertArgumentError(() => Pool2D.MaxBackward(overlapping, 1, new float[4], new[] { 0, 1, 16, 2 }, new float[16]), "argmax[2]", "got 16");
        var tooWide = ConvWindow.Create(4, 4, 2, 2, 1, 1, 2, 0, 0, 0);
        AssertArgumentError(() => Pool2D.AverageForward(tooWide, 1, new float[16], new float[tooWide.OutPixels]), "window");
    }

    /// <summary>Shuffled values 0.01 apart, so no window has a tie a finite-difference step could flip.</summary>
    private static float[] DistinctValues(int count)
    {
        var values = Enumerable.Range(0, count).Select(i => i * 0.01f - count * 0.005f).ToArray();
        new Random(5).Shuffle(values);
        return values;
    }
}
