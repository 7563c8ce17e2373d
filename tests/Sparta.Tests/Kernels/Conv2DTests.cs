using Sparta.Kernels;
using static Sparta.Tests.Kernels.ConvTestMath;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

public class Conv2DTests
{
    /// <summary>
    /// Odd channels and sizes, strides 1 and 2, kernels 1x1, 3x3, 5x5 and rectangular, same and valid;
    /// patches C·KH·KW up to 32 take the small-patch path, larger ones the GEMM path.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int, int, int, ConvPadding> Cases => new()
    {
        // batch, channels, height, width, outChannels, kernelH, kernelW, stride, padding
        { 2, 3, 7, 5, 4, 3, 3, 1, ConvPadding.Same },
        { 2, 3, 7, 5, 4, 3, 3, 1, ConvPadding.Valid },
        { 3, 1, 9, 8, 5, 5, 5, 2, ConvPadding.Same },
        { 2, 5, 6, 7, 3, 1, 1, 1, ConvPadding.Valid },
        { 2, 2, 9, 9, 3, 3, 3, 2, ConvPadding.Valid },
        { 1, 4, 5, 6, 2, 5, 5, 1, ConvPadding.Same },
        { 2, 3, 6, 6, 4, 1, 1, 2, ConvPadding.Same },
        { 2, 3, 8, 7, 3, 2, 3, 2, ConvPadding.Same },
        { 2, 5, 6, 7, 3, 3, 3, 1, ConvPadding.Same },
        { 2, 4, 7, 6, 5, 3, 3, 2, ConvPadding.Valid },
        { 3, 7, 9, 8, 4, 3, 3, 2, ConvPadding.Same },
        { 2, 9, 5, 5, 2, 2, 2, 1, ConvPadding.Valid },
        // Rows of 8 or more outputs at stride 1: the vector im2col and col2im paths with their ragged ends.
        { 2, 3, 4, 14, 4, 3, 3, 1, ConvPadding.Same },
        { 2, 2, 3, 16, 3, 3, 3, 1, ConvPadding.Same },
        { 2, 4, 6, 21, 3, 5, 5, 1, ConvPadding.Valid },
        { 3, 6, 5, 9, 2, 1, 1, 1, ConvPadding.Valid },
        // Small patches over many pixels: whole 16-pixel blocks, a ragged 8 + 6 end, a last group of 2 channels.
        { 2, 1, 28, 28, 32, 3, 3, 1, ConvPadding.Same },
        { 2, 3, 11, 10, 6, 3, 3, 1, ConvPadding.Same },
        // Planes of 128 pixels or more past the small-patch limit: one GEMM a sample straight into the output
        // (7 output channels: a 6-row tile and a ragged row; 132 pixels: a ragged last column tile), and
        // a 1x1 convolution of stride 1, whose GEMM reads the input in place.
        { 2, 5, 12, 11, 7, 3, 3, 1, ConvPadding.Same },
        { 3, 40, 12, 12, 9, 1, 1, 1, ConvPadding.Valid },
        { 2, 4, 24, 24, 6, 3, 3, 2, ConvPadding.Same },
        // Rows of 2 or 3 outputs past the small-patch limit: a vector spans several output rows.
        { 2, 4, 3, 3, 3, 3, 3, 1, ConvPadding.Same },
        { 2, 9, 2, 2, 3, 3, 3, 1, ConvPadding.Same },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheDefinition(int batch, int channels, int height, int width, int outChannels, int kh, int kw, int stride, ConvPadding padding)
    {
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, kh, kw, stride, stride, padding));
        var (x, w, b) = Data(shape, batch);
        foreach (bool withBias in new[] { true, false })
        {
            var bias = withBias ? b : Array.Empty<float>();
            var y = new float[batch * shape.OutputSize];
            using var workspace = new Conv2DWorkspace();
            Conv2DKernel.Forward(shape, batch, x, w, bias, y, workspace);
            var expected = new double[y.Length];
            Conv2DScalar.Forward(shape, batch, ToDouble(x), ToDouble(w), ToDouble(bias), expected);
            AssertClose(expected, y, 1e-5, 1e-5, $"output (bias {withBias})");
        }
    }

    /// <summary>
    /// Each fused activation on the im2col path (5 output channels) and on the channels-blocked one
    /// (32 channels in whole groups of 16 or 32, ReLU in its registers, the others after it).
    /// </summary>
    [Theory]
    [InlineData(nameof(BiasActivationKind.Relu), 3, 5, 7)]
    [InlineData(nameof(BiasActivationKind.LeakyRelu), 3, 5, 7)]
    [InlineData(nameof(BiasActivationKind.Sigmoid), 3, 5, 7)]
    [InlineData(nameof(BiasActivationKind.Tanh), 3, 5, 7)]
    [InlineData(nameof(BiasActivationKind.Relu), 4, 32, 14)]
    [InlineData(nameof(BiasActivationKind.LeakyRelu), 4, 32, 14)]
    [InlineData(nameof(BiasActivationKind.Sigmoid), 4, 32, 14)]
    [InlineData(nameof(BiasActivationKind.Tanh), 4, 32, 14)]
    public void FusedActivationMatchesTheOracles(string kindName, int channels, int outChannels, int width)
    {
        var kind = Enum.Parse<BiasActivationKind>(kindName);
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(6, width, 3, 3, 1, 1, ConvPadding.Same));
        var (x, w, b) = Data(shape, 2);
        var y = new float[2 * shape.OutputSize];
        using var workspace = new Conv2DWorkspace();
        Conv2DKernel.Forward(shape, 2, x, w, b, y, workspace, kind, 0.2f);
        var convolved = new double[y.Length];
        Conv2DScalar.Forward(shape, 2, ToDouble(x), ToDouble(w), default, convolved);
        var expected = new double[y.Length];
        BiasActivationScalar.Forward(kind, 0.2, 2, shape.OutChannels, shape.Window.OutPixels, convolved, ToDouble(b), expected);
        AssertClose(expected, y, 1e-5, 1e-5, kind.ToString());
    }

    [Fact]
    public void SameAndValidGiveTheOutputSizesOfKeras()
    {
        var same = ConvWindow.Create(7, 8, 3, 3, 2, 2, ConvPadding.Same);
        Assert.Equal((4, 4, 1, 0), (same.OutHeight, same.OutWidth, same.PadTop, same.PadLeft)); // ceil(7/2), ceil(8/2); borders 2 and 1 split top-light
        var valid = ConvWindow.Create(7, 8, 3, 3, 2, 2, ConvPadding.Valid);
        Assert.Equal((3, 3, 0, 0), (valid.OutHeight, valid.OutWidth, valid.PadTop, valid.PadLeft));
        var explicitPad = ConvWindow.Create(5, 5, 3, 3, 1, 1, 2, 0, 0, 1);
        Assert.Equal((5, 4, 2, 0), (explicitPad.OutHeight, explicitPad.OutWidth, explicitPad.PadTop, explicitPad.PadLeft));
    }

    [Fact]
    public void UnevenExplicitPaddingMatchesTheDefinition()
    {
        var shape = new Conv2DShape(2, 3, ConvWindow.Create(6, 5, 3, 3, 2, 1, 2, 0, 0, 1));
        var (x, w, b) = Data(shape, 2);
        var y = new float[2 * shape.OutputSize];
        using var workspace = new Conv2DWorkspace();
        Conv2DKernel.Forward(shape, 2, x, w, b, y, workspace);
        var expected = new double[y.Length];
        Conv2DScalar.Forward(shape, 2, ToDouble(x), ToDouble(w), ToDouble(b), expected);
        AssertClose(expected, y, 1e-5, 1e-5, "output");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(int batch, int channels, int height, int width, int outChannels, int kh, int kw, int stride, ConvPadding padding)
    {
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, kh, kw, stride, stride, padding));
        var (x, w, b) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 7);
        using var workspace = new Conv2DWorkspace();
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        Conv2DKernel.BackwardInput(shape, batch, upstream, w, dx, workspace);
        Conv2DKernel.BackwardWeights(shape, batch, x, upstream, dw, db, workspace);

        double[] xd = ToDouble(x), wd = ToDouble(w), bd = ToDouble(b);
        var forward = ScalarForward(shape, batch, xd, wd, bd);
        AssertClose(NumericGradient(xd, upstream, forward), dx, 1e-4, 1e-3, "input gradient");
        AssertClose(NumericGradient(wd, upstream, forward), dw, 1e-4, 1e-3, "weight gradient");
        AssertClose(NumericGradient(bd, upstream, forward), db, 1e-4, 1e-3, "bias gradient");
    }

    [Theory]
    [InlineData(2, 3, 1, ConvPadding.Same)]
    [InlineData(6, 3, 1, ConvPadding.Same)]
    [InlineData(5, 3, 2, ConvPadding.Valid)]
    public void BackwardInOnePassEqualsTheTwoPassesBitForBit(int channels, int kernel, int stride, ConvPadding padding)
    {
        int batch = 11;
        var shape = new Conv2DShape(channels, 4, ConvWindow.Create(7, 6, kernel, kernel, stride, stride, padding));
        var (x, w, _) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 10);
        using var workspace = new Conv2DWorkspace();
        float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[4];
        Conv2DKernel.BackwardInput(shape, batch, upstream, w, dx, workspace);
        Conv2DKernel.BackwardWeights(shape, batch, x, upstream, dw, db, workspace);
        float[] dx2 = new float[x.Length], dw2 = new float[w.Length], db2 = new float[4];
        Conv2DKernel.Backward(shape, batch, x, upstream, w, dx2, dw2, db2, workspace);
        AssertBitwiseEqual(dx, dx2, "input gradient");
        AssertBitwiseEqual(dw, dw2, "weight gradient");
        AssertBitwiseEqual(db, db2, "bias gradient");
    }

    [Theory]
    [InlineData(3, 3, 1, ConvPadding.Same)]
    [InlineData(2, 1, 2, ConvPadding.Valid)]
    public void WeightGradientSummedOverSeveralChunksMatchesFiniteDifferences(int channels, int kernel, int stride, ConvPadding padding)
    {
        // Three chunks, the last one partial: the chunks' sums are added in order, not written straight into the gradient.
        var shape = new Conv2DShape(channels, 4, ConvWindow.Create(9, 7, kernel, kernel, stride, stride, padding));
        int batch = 2 * ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk + 3;
        var (x, w, b) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 11);
        using var workspace = new Conv2DWorkspace();
        float[] dw = new float[w.Length], db = new float[b.Length], dwWithoutBias = new float[w.Length];
        Conv2DKernel.BackwardWeights(shape, batch, x, upstream, dw, db, workspace);
        Conv2DKernel.BackwardWeights(shape, batch, x, upstream, dwWithoutBias, default, workspace);

        double[] xd = ToDouble(x), wd = ToDouble(w), bd = ToDouble(b);
        var forward = ScalarForward(shape, batch, xd, wd, bd);
        AssertClose(NumericGradient(wd, upstream, forward), dw, 1e-3, 1e-3, "weight gradient");
        AssertClose(NumericGradient(bd, upstream, forward), db, 1e-3, 1e-3, "bias gradient");
        AssertBitwiseEqual(dw, dwWithoutBias, "weight gradient without a bias");
    }

    [Fact]
    public void AccumulateAddsToTheGradientsAlreadyThere()
    {
        var shape = new Conv2DShape(3, 2, ConvWindow.Create(5, 6, 3, 3, 1, 1, ConvPadding.Same));
        var (x, w, _) = Data(shape, 2);
        var upstream = RandomFloats(2 * shape.OutputSize, 8);
        using var workspace = new Conv2DWorkspace();
        float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[2];
        Conv2DKernel.BackwardInput(shape, 2, upstream, w, dx, workspace);
        Conv2DKernel.BackwardWeights(shape, 2, x, upstream, dw, db, workspace);
        float[] dx2 = Enumerable.Repeat(1f, dx.Length).ToArray(), dw2 = Enumerable.Repeat(1f, dw.Length).ToArray(), db2 = { 1f, 1f };
        Conv2DKernel.BackwardInput(shape, 2, upstream, w, dx2, workspace, accumulate: true);
        Conv2DKernel.BackwardWeights(shape, 2, x, upstream, dw2, db2, workspace, accumulate: true);
        AssertClose(ToDouble(dx).Select(v => v + 1).ToArray(), dx2, 1e-6, 1e-6, "input gradient");
        AssertClose(ToDouble(dw).Select(v => v + 1).ToArray(), dw2, 1e-6, 1e-6, "weight gradient");
        AssertClose(ToDouble(db).Select(v => v + 1).ToArray(), db2, 1e-6, 1e-6, "bias gradient");
    }

    [Theory]
    [InlineData(3, 3, 3, 1, ConvPadding.Same)]
    [InlineData(6, 3, 3, 1, ConvPadding.Same)]
    [InlineData(3, 1, 1, 1, ConvPadding.Valid)]
    [InlineData(40, 1, 1, 1, ConvPadding.Valid)]
    [InlineData(5, 3, 3, 2, ConvPadding.Valid)]
    public void ResultsAreBitIdenticalForAnyThreadCount(int channels, int kh, int kw, int stride, ConvPadding padding)
    {
        // Enough samples for several chunks, the last one partial.
        var shape = new Conv2DShape(channels, 5, ConvWindow.Create(9, 7, kh, kw, stride, stride, padding));
        int batch = 2 * ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk + 3;
        var (x, w, b) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 9);
        AssertBitIdenticalForThreadCounts(Run, 2, 3, 7);

        float[][] Run()
        {
            using var workspace = new Conv2DWorkspace();
            float[] y = new float[batch * shape.OutputSize], dx = new float[x.Length], dw = new float[w.Length], db = new float[b.Length];
            Conv2DKernel.Forward(shape, batch, x, w, b, y, workspace);
            Conv2DKernel.BackwardInput(shape, batch, upstream, w, dx, workspace);
            Conv2DKernel.BackwardWeights(shape, batch, x, upstream, dw, db, workspace);
            return new[] { y, dx, dw, db };
        }
    }

    [Fact]
    public void BadArgumentsAreNamedWithTheValueReceived()
    {
        AssertArgumentError(() => ConvWindow.Create(5, 5, 3, 3, 0, 1, ConvPadding.Same), "strideHeight", "got 0");
        AssertArgumentError(() => ConvWindow.Create(5, 5, 3, -2, 1, 1, ConvPadding.Same), "kernelWidth", "got -2");
        AssertArgumentError(() => ConvWindow.Create(4, 5, 5, 3, 1, 1, ConvPadding.Valid), "kernel 5", "height 4");
        AssertArgumentError(() => ConvWindow.Create(5, 5, 3, 3, 1, 1, 1, -1, 0, 0), "padBottom", "got -1");
        AssertArgumentError(() => new Conv2DShape(0, 4, ConvWindow.Create(5, 5, 3, 3, 1, 1, ConvPadding.Same)), "channels", "got 0");

        var shape = new Conv2DShape(2, 3, ConvWindow.Create(5, 5, 3, 3, 1, 1, ConvPadding.Same));
        using var workspace = new Conv2DWorkspace();
        float[] x = new float[2 * 50], w = new float[54], y = new float[2 * 75];
        AssertArgumentError(() => Conv2DKernel.Forward(shape, 2, new float[99], w, default, y, workspace), "input", "2x2x5x5=100", "got 99");
        AssertArgumentError(() => Conv2DKernel.Forward(shape, 2, x, new float[53], default, y, workspace), "weights", "got 53");
        AssertArgumentError(() => Conv2DKernel.Forward(shape, 2, x, w, new float[2], y, workspace), "bias", "got 2");
        AssertArgumentError(() => Conv2DKernel.Forward(shape, 2, x, w, default, new float[3], workspace), "output", "got 3");
        AssertArgumentError(() => Conv2DKernel.Forward(shape, -1, x, w, default, y, workspace), "batch", "got -1");
        AssertArgumentError(() => Conv2DKernel.Forward(shape, 2, x, w, default, y, workspace, BiasActivationKind.LeakyRelu, -1f), "alpha", "got -1");
        AssertArgumentError(() => Conv2DKernel.BackwardInput(shape, 2, y, w, new float[7], workspace), "inputGrad", "got 7");
        AssertArgumentError(() => Conv2DKernel.BackwardWeights(shape, 2, x, y, new float[5], default, workspace), "weightGrad", "got 5");
        AssertArgumentError(() => Conv2DKernel.BackwardWeights(shape, 2, x, new float[4], w, default, workspace), "outputGrad", "got 4");
    }

    private static (float[] Input, float[] Weights, float[] Bias) Data(Conv2DShape shape, int batch) =>
        (RandomFloats(batch * shape.InputSize, 1), RandomFloats(shape.WeightCount, 2, 0.5f), RandomFloats(shape.OutChannels, 3));
}
