using System.Runtime.Intrinsics.X86;
using Sparta.Kernels;
using Sparta.Tensors;
using static Sparta.Tests.Kernels.ConvTestMath;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The direct convolution (stride 1, no im2col) against the definition, on shapes that reach every
/// edge of its tiles: output channels in a partial last panel of 6, rows of 8, 14, 16, 24, 28 and 30
/// pixels (a full, masked or 8-pixel last tile), dilation, uneven borders, one input channel.
/// </summary>
public class Conv2DDirectTests
{
    public static TheoryData<int, int, int, int, int, int, int, int[]> Cases => new()
    {
        // batch, channels, height, width, outChannels, kernelH, kernelW, borders top, bottom, left, right (dilation 1)
        { 2, 32, 14, 14, 64, 3, 3, new[] { 1, 1, 1, 1 } }, // the Fashion-MNIST CNN's second convolution
        { 2, 1, 28, 28, 32, 3, 3, new[] { 1, 1, 1, 1 } },  // its first: 16 pixels, then a masked 12
        { 3, 3, 5, 8, 7, 3, 3, new[] { 1, 1, 1, 1 } },     // one 8-pixel tile; 7 channels: a panel of 6 and one of 1
        { 2, 2, 4, 16, 5, 3, 3, new[] { 1, 1, 1, 1 } },    // one full 16-pixel tile; 5 channels: one partial panel
        { 2, 4, 3, 24, 13, 3, 3, new[] { 1, 1, 1, 1 } },   // 16 + an 8-pixel tile; 13 channels: 6, 6, 1
        { 2, 3, 6, 30, 6, 5, 5, new[] { 2, 2, 2, 2 } },    // 16 + a masked 14 with a 5x5 kernel
        { 2, 5, 9, 18, 4, 3, 3, new[] { 0, 0, 0, 0 } },    // 'valid': 16 pixels, no border
        { 2, 2, 7, 7, 3, 1, 3, new[] { 0, 0, 1, 1 } },     // a 1x3 kernel over rows of 7: an 8-pixel tile, masked
        { 1, 3, 8, 14, 8, 3, 2, new[] { 2, 0, 0, 1 } },    // uneven explicit borders
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheDefinition(int batch, int channels, int height, int width, int outChannels, int kh, int kw,
        int[] borders)
    {
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, kh, kw, 1, 1, borders[0], borders[1], borders[2], borders[3]));
        AssertDirectMatches(shape, batch);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    public void DilatedForwardMatchesTheDefinition(int dilationHeight, int dilationWidth)
    {
        var shape = new Conv2DShape(3, 7, ConvWindow.Create(12, 20, 3, 3, 1, 1, ConvPadding.Same, dilationHeight, dilationWidth));
        AssertDirectMatches(shape, 2);
    }

    [Theory]
    [InlineData(nameof(BiasActivationKind.Relu))]
    [InlineData(nameof(BiasActivationKind.LeakyRelu))]
    [InlineData(nameof(BiasActivationKind.Sigmoid))]
    [InlineData(nameof(BiasActivationKind.Tanh))]
    public void ActivationsMatchTheOracles(string kindName)
    {
        var kind = Enum.Parse<BiasActivationKind>(kindName);
        var shape = new Conv2DShape(4, 9, ConvWindow.Create(6, 14, 3, 3, 1, 1, ConvPadding.Same));
        Assert.Equal(Avx2.IsSupported && Fma.IsSupported, Conv2DDirect.Handles(shape));
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
    public void ReluKeepsNaNAsTheUnfusedPassDoes()
    {
        var shape = new Conv2DShape(2, 3, ConvWindow.Create(4, 16, 3, 3, 1, 1, ConvPadding.Same));
        var (x, w, b) = Data(shape, 1);
        x[5] = float.NaN;
        var y = new float[shape.OutputSize];
        using var workspace = new Conv2DWorkspace();
        Conv2DKernel.Forward(shape, 1, x, w, b, y, workspace, BiasActivationKind.Relu);
        // Input pixel (0, 5) feeds output pixels (0..1, 4..6) of every channel.
        for (int o = 0; o < 3; o++)
            Assert.True(float.IsNaN(y[o * 64 + 5]), $"channel {o}: {y[o * 64 + 5]}");
        Assert.False(float.IsNaN(y[3 * 16 + 12]));
    }

    [Fact]
    public void AVectorLanesWastedOnMoreThanAQuarterOfARowOrStridesGoElsewhere()
    {
        bool vectors = Avx2.IsSupported && Fma.IsSupported;
        Assert.Equal(vectors, Conv2DDirect.Handles(new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same))));
        Assert.False(Conv2DDirect.Handles(new Conv2DShape(3, 4, ConvWindow.Create(7, 5, 3, 3, 1, 1, ConvPadding.Same)))); // 5 of 8 lanes
        Assert.False(Conv2DDirect.Handles(new Conv2DShape(3, 4, ConvWindow.Create(14, 14, 3, 3, 2, 2, ConvPadding.Same))));
        Assert.False(Conv2DDirect.Handles(new Conv2DShape(40, 8, ConvWindow.Create(14, 14, 1, 1, 1, 1, ConvPadding.Valid))));
        Assert.False(Conv2DDirect.Handles(new Conv2DShape(512, 512, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same)))); // 9 MB of weights
    }

    [Fact]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        var shape = new Conv2DShape(5, 7, ConvWindow.Create(9, 14, 3, 3, 1, 1, ConvPadding.Same));
        int batch = 2 * ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk + 3;
        var (x, w, b) = Data(shape, batch);
        int saved = Parallelism.ThreadCount;
        try
        {
            var reference = Run(1);
            foreach (int threads in new[] { 2, 3 }) AssertBitwiseEqual(reference, Run(threads), $"threads {threads}");
        }
        finally
        {
            Parallelism.ThreadCount = saved;
        }

        float[] Run(int threads)
        {
            Parallelism.ThreadCount = threads;
            using var workspace = new Conv2DWorkspace();
            var y = new float[batch * shape.OutputSize];
            Conv2DKernel.Forward(shape, batch, x, w, b, y, workspace, BiasActivationKind.Relu);
            return y;
        }
    }

    private static void AssertDirectMatches(Conv2DShape shape, int batch)
    {
        Assert.Equal(Avx2.IsSupported && Fma.IsSupported, Conv2DDirect.Handles(shape));
        var (x, w, b) = Data(shape, batch);
        using var workspace = new Conv2DWorkspace();
        foreach (bool withBias in new[] { true, false })
        {
            var bias = withBias ? b : Array.Empty<float>();
            // Twice through one workspace: the second call reuses the bordered buffer of the first.
            for (int call = 0; call < 2; call++)
            {
                var y = new float[batch * shape.OutputSize];
                Conv2DKernel.Forward(shape, batch, x, w, bias, y, workspace);
                var expected = new double[y.Length];
                Conv2DScalar.Forward(shape, batch, ToDouble(x), ToDouble(w), ToDouble(bias), expected);
                AssertClose(expected, y, 1e-5, 1e-5, $"output (bias {withBias}, call {call})");
            }
        }
    }

    private static (float[] Input, float[] Weights, float[] Bias) Data(Conv2DShape shape, int batch) =>
        (RandomFloats(batch * shape.InputSize, 1), RandomFloats(shape.WeightCount, 2, 0.5f), RandomFloats(shape.OutChannels, 3));
}
