using Sparta.Kernels;
using static Sparta.Tests.Kernels.ConvTestMath;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// Dilated convolution: the scalar oracle against the ordinary convolution with the kernel spread out
/// by zeros (an independent formula), and the fast kernel's forward and gradients against the oracle.
/// </summary>
public class Conv2DDilationTests
{
    public static TheoryData<int, int, int, int, int, int, ConvPadding> Cases => new()
    {
        // channels, kernelH, kernelW, stride, dilationH, dilationW, padding
        { 3, 3, 3, 1, 2, 2, ConvPadding.Same },
        { 3, 3, 3, 1, 2, 3, ConvPadding.Valid },
        { 2, 2, 3, 2, 3, 2, ConvPadding.Same },
        { 1, 3, 3, 1, 2, 2, ConvPadding.Valid },   // a patch of 9: the small-patch path where it runs
        { 5, 3, 3, 2, 2, 1, ConvPadding.Valid },
    };

    private static Conv2DShape Shape(int channels, int kh, int kw, int stride, int dh, int dw, ConvPadding padding) =>
        new(channels, 4, ConvWindow.Create(9, 10, kh, kw, stride, stride, padding, dh, dw));

    private static (float[] Input, float[] Weights, float[] Bias) Data(Conv2DShape shape, int batch)
    {
        var input = RandomFloats(batch * shape.InputSize, 11);
        return (input, RandomFloats(shape.WeightCount, 12, 0.5f), RandomFloats(shape.OutChannels, 13));
    }

    [Theory, MemberData(nameof(Cases))]
    public void TheOracleEqualsTheSpreadKernel(int channels, int kh, int kw, int stride, int dh, int dw, ConvPadding padding)
    {
        var shape = Shape(channels, kh, kw, stride, dh, dw, padding);
        var (x, w, b) = Data(shape, 2);
        int spanH = (kh - 1) * dh + 1, spanW = (kw - 1) * dw + 1;
        var spread = new double[4 * channels * spanH * spanW];
        for (int plane = 0; plane < 4 * channels; plane++)
            for (int p = 0; p < kh; p++)
                for (int q = 0; q < kw; q++)
                    spread[(plane * spanH + p * dh) * spanW + q * dw] = w[(plane * kh + p) * kw + q];
        var plain = new Conv2DShape(channels, 4, ConvWindow.Create(9, 10, spanH, spanW, stride, stride, padding));
        Assert.Equal((plain.Window.OutHeight, plain.Window.OutWidth, plain.Window.PadTop, plain.Window.PadLeft),
            (shape.Window.OutHeight, shape.Window.OutWidth, shape.Window.PadTop, shape.Window.PadLeft));
        double[] dilated = new double[2 * shape.OutputSize], expected = new double[dilated.Length];
        Conv2DScalar.Forward(shape, 2, ToDouble(x), ToDouble(w), ToDouble(b), dilated);
        Conv2DScalar.Forward(plain, 2, ToDouble(x), spread, ToDouble(b), expected);
        Assert.Equal(expected, dilated);
    }

    [Theory, MemberData(nameof(Cases))]
    public void TheKernelMatchesTheOracleAndFiniteDifferences(int channels, int kh, int kw, int stride, int dh, int dw, ConvPadding padding)
    {
        var shape = Shape(channels, kh, kw, stride, dh, dw, padding);
        const int batch = 3;
        var (x, w, b) = Data(shape, batch);
        using var workspace = new Conv2DWorkspace();
        var y = new float[batch * shape.OutputSize];
        Conv2DKernel.Forward(shape, batch, x, w, b, y, workspace);
        double[] xd = ToDouble(x), wd = ToDouble(w), bd = ToDouble(b);
        var forward = ScalarForward(shape, batch, xd, wd, bd);
        AssertClose(forward(), y, 1e-5, 1e-5, "output");

        var upstream = RandomFloats(batch * shape.OutputSize, 7);
        float[] dx = new float[x.Length], dwGrad = new float[w.Length], db = new float[b.Length];
        Conv2DKernel.Backward(shape, batch, x, upstream, w, dx, dwGrad, db, workspace);
        AssertClose(NumericGradient(xd, upstream, forward), dx, 1e-4, 1e-3, "input gradient");
        AssertClose(NumericGradient(wd, upstream, forward), dwGrad, 1e-4, 1e-3, "weight gradient");
    }

    [Fact]
    public void ADilationBelowOneIsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ConvWindow.Create(9, 9, 3, 3, 1, 1, ConvPadding.Same, 0, 1));
        Assert.Contains("dilationHeight must be at least 1, got 0", error.Message);
        Assert.Throws<ArgumentException>(() => ConvWindow.Create(5, 5, 3, 3, 1, 1, ConvPadding.Valid, 3, 1)); // span 7 > 5
    }
}
