using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;
using static Sparta.Tests.Kernels.ConvTestMath;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The channels-blocked convolution against the definition, at every vector width this processor
/// runs (4, 8 and, with AVX-512, 16 lanes), on shapes that reach every edge of its tiles: a partial
/// last channel group, a partial last pixel tile and tiles spanning rows, one input channel,
/// dilation, strides (input rows no window reads), uneven borders.
/// </summary>
public unsafe class Conv2DBlockedTests
{
    /// <summary>Vector widths this processor runs the kernel at.</summary>
    private static int[] Widths => new[] { 4, 8, 16 }.Where(Conv2DBlocked.Runs).ToArray();

    public static TheoryData<int, int, int, int, int, int, int, int, int[]> Cases => new()
    {
        // batch, channels, height, width, outChannels, kernelH, kernelW, stride, borders top, bottom, left, right (dilation 1)
        { 2, 32, 14, 14, 64, 3, 3, 1, new[] { 1, 1, 1, 1 } }, // the Fashion-MNIST CNN's second convolution: 196 pixels, 32 tiles and 4 pixels
        { 2, 1, 28, 28, 32, 3, 3, 1, new[] { 1, 1, 1, 1 } },  // its first: one input channel, 784 pixels, 130 tiles and 4
        { 3, 3, 5, 8, 7, 3, 3, 1, new[] { 1, 1, 1, 1 } },     // 7 channels: one partial group
        { 2, 4, 3, 24, 13, 3, 3, 1, new[] { 1, 1, 1, 1 } },   // 13 channels
        { 2, 3, 6, 30, 6, 5, 5, 1, new[] { 2, 2, 2, 2 } },    // a 5x5 kernel
        { 2, 5, 9, 18, 20, 3, 3, 1, new[] { 0, 0, 0, 0 } },   // 'valid', no border; 20 channels: a group and a partial one at 8 lanes
        { 2, 2, 7, 7, 3, 1, 3, 1, new[] { 0, 0, 1, 1 } },     // a 1x3 kernel; 49 pixels: 8 tiles and 1 pixel
        { 1, 3, 8, 14, 8, 3, 2, 1, new[] { 2, 0, 0, 1 } },    // uneven explicit borders
        { 2, 3, 9, 11, 10, 3, 3, 2, new[] { 1, 1, 1, 1 } },   // stride 2
        { 2, 4, 10, 9, 9, 3, 3, 3, new[] { 0, 0, 0, 0 } },    // stride 3, 'valid': the last input row is read by no window
        { 1, 2, 2, 2, 5, 3, 3, 1, new[] { 1, 1, 1, 1 } },     // 4 pixels: one partial tile
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesTheDefinitionAtEveryWidth(int batch, int channels, int height, int width, int outChannels, int kh, int kw,
        int stride, int[] borders)
    {
        var shape = new Conv2DShape(channels, outChannels,
            ConvWindow.Create(height, width, kh, kw, stride, stride, borders[0], borders[1], borders[2], borders[3]));
        AssertMatchesAtEveryWidth(shape, batch);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    public void DilatedForwardMatchesTheDefinition(int dilationHeight, int dilationWidth)
    {
        var shape = new Conv2DShape(3, 7, ConvWindow.Create(12, 20, 3, 3, 1, 1, ConvPadding.Same, dilationHeight, dilationWidth));
        AssertMatchesAtEveryWidth(shape, 2);
    }

    [Fact]
    public void ReluKeepsNaNAsTheUnfusedPassDoes()
    {
        var shape = new Conv2DShape(2, 3, ConvWindow.Create(4, 16, 3, 3, 1, 1, ConvPadding.Same));
        var (x, w, b) = Data(shape, 1);
        x[5] = float.NaN;
        Assert.NotEmpty(Widths);
        foreach (int lanes in Widths)
        {
            var y = new float[shape.OutputSize];
            using var workspace = new Conv2DWorkspace();
            Conv2DKernel.Forward(shape, 1, x, w, b, y, workspace, BiasActivationKind.Relu, packed: Conv2DPackedWeights.Pack(shape, lanes, w, b));
            // Input pixel (0, 5) feeds output pixels (0..1, 4..6) of every channel.
            for (int o = 0; o < 3; o++)
                Assert.True(float.IsNaN(y[o * 64 + 5]), $"{lanes} lanes, channel {o}: {y[o * 64 + 5]}");
            Assert.False(float.IsNaN(y[3 * 16 + 12]));
        }
    }

    [Fact]
    public void ShapesWastingMoreThanAQuarterOfTheLanesOrOutOfCacheGoElsewhere()
    {
        Assert.True(Conv2DBlocked.Fits(new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same)), 8));
        Assert.True(Conv2DBlocked.Fits(new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same)), 16));
        Assert.False(Conv2DBlocked.Fits(new Conv2DShape(3, 8, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same)), 8)); // 8 of a group of 16
        Assert.True(Conv2DBlocked.Fits(new Conv2DShape(3, 12, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same)), 8)); // 12 of 16
        Assert.False(Conv2DBlocked.Fits(new Conv2DShape(3, 16, ConvWindow.Create(2, 2, 3, 3, 1, 1, ConvPadding.Same)), 8)); // 4 pixels of a tile of 6
        Assert.False(Conv2DBlocked.Fits(new Conv2DShape(40, 16, ConvWindow.Create(14, 14, 1, 1, 1, 1, ConvPadding.Valid)), 8)); // 1x1: the GEMM reads in place
        Assert.False(Conv2DBlocked.Fits(new Conv2DShape(512, 512, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same)), 8)); // 295 KB a group
        Assert.Equal(Conv2DBlocked.Lanes > 0, Conv2DBlocked.Handles(new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same))));
    }

    [Fact]
    public void AShapeThatWastesSixteenLanesRunsAtEightOnAnAvx512Processor()
    {
        // 16 channels fill half a group of 32 at 16 lanes, and a whole group of 16 at 8.
        var sixteenOut = new Conv2DShape(3, 16, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
        var sixteenIn = new Conv2DShape(16, 32, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
        Assert.False(Conv2DBlocked.Fits(sixteenOut, 16));
        Assert.False(Conv2DBlockedInputGradient.Handles(sixteenIn, 16));
        int fallback = Conv2DBlocked.Lanes == 16 ? 8 : Conv2DBlocked.Lanes;
        Assert.Equal(fallback, Conv2DBlocked.LanesFor(sixteenOut));
        Assert.Equal(fallback, Conv2DBlockedWeightGradient.LanesFor(sixteenOut));
        Assert.Equal(fallback, Conv2DBlockedInputGradient.LanesFor(sixteenIn));
        // The CNN's second convolution runs at the widest width throughout: its input gradient's group of 32 channels by 576 cells is 72 KB.
        var conv2 = new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
        Assert.Equal(Conv2DBlocked.Lanes, Conv2DBlockedInputGradient.LanesFor(conv2));
        Assert.Equal(Conv2DBlocked.Lanes, Conv2DBlocked.LanesFor(conv2));
        Assert.Equal(Conv2DBlocked.Lanes, Conv2DBlockedWeightGradient.LanesFor(conv2));
    }

    [Fact]
    public void WeightGradientsTooLargeForTheCacheGoThroughTheGemm()
    {
        var window = ConvWindow.Create(2, 2, 3, 3, 1, 1, ConvPadding.Same);
        Assert.True(Conv2DBlockedWeightGradient.Handles(new Conv2DShape(256, 256, window), 4));   // 2.4 MB of sums
        Assert.False(Conv2DBlockedWeightGradient.Handles(new Conv2DShape(512, 512, window), 4));  // 9.4 MB: ResNet's last stage
        Assert.False(Conv2DBlockedWeightGradient.Handles(new Conv2DShape(256, 512, window), 4));  // 4.7 MB
    }

    [Fact]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        var shape = new Conv2DShape(5, 16, ConvWindow.Create(9, 14, 3, 3, 1, 1, ConvPadding.Same));
        int batch = 2 * ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk + 3;
        var (x, w, b) = Data(shape, batch);
        AssertBitIdenticalForThreadCounts(Run, 2, 3);

        float[][] Run()
        {
            using var workspace = new Conv2DWorkspace();
            var y = new float[batch * shape.OutputSize];
            Conv2DKernel.Forward(shape, batch, x, w, b, y, workspace, BiasActivationKind.Relu);
            return [y];
        }
    }

    [Fact]
    public void ALayersWeightsChangedInPlaceArePackedAgain()
    {
        // The packed copy is kept per weight tensor; an optimizer step writes the tensor in place.
        var shape = new Conv2DShape(4, 32, ConvWindow.Create(10, 10, 3, 3, 1, 1, ConvPadding.Same));
        var (x, w, b) = Data(shape, 2);
        var input = Tensor.FromArray(x, 2, 4, 10, 10);
        var weights = Tensor.FromArray(w, 32, 4, 3, 3);
        var bias = Tensor.FromArray(b, 32);
        using (Tape.NoGrad())
        {
            AssertClose(Expected(), input.Conv2D(weights, bias, padding: ConvPadding.Same).Span, 1e-5, 1e-5, "first call");
            weights.Span[7] += 0.5f;
            bias.Span[3] -= 0.25f;
            AssertClose(Expected(), input.Conv2D(weights, bias, padding: ConvPadding.Same).Span, 1e-5, 1e-5, "after the weights changed");
        }

        double[] Expected()
        {
            var expected = new double[2 * shape.OutputSize];
            Conv2DScalar.Forward(shape, 2, ToDouble(x), ToDouble(weights.Span), ToDouble(bias.Span), expected);
            return expected;
        }
    }

    public static TheoryData<int, int, int, int, int, int> PooledCases => new()
    {
        // channels, height, width, outChannels ('same' 3x3 convolution), pool size, pool stride
        { 32, 14, 14, 64, 2, 2 }, // the Fashion-MNIST CNN's second convolution and pooling
        { 1, 28, 28, 32, 2, 2 },  // its first
        { 3, 13, 11, 12, 3, 2 },  // 3x3 windows of stride 2: the last row and column are read by none; a partial channel group
        { 2, 9, 10, 20, 2, 1 },   // overlapping windows
    };

    [Theory]
    [MemberData(nameof(PooledCases))]
    public void MaxPooledForwardGivesTheValuesOfTheConvolutionThenThePooling(int channels, int height, int width, int outChannels, int size, int stride)
    {
        const int batch = 3;
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, 3, 3, 1, 1, ConvPadding.Same));
        var pool = ConvWindow.Create(height, width, size, size, stride, stride, ConvPadding.Valid);
        var (x, w, b) = Data(shape, batch);
        x[x.Length / 2] = float.NaN; // through both paths alike
        Assert.NotEmpty(Widths);
        using var workspace = new Conv2DWorkspace();
        foreach (int lanes in Widths)
        foreach (var activation in new[] { BiasActivationKind.Relu, BiasActivationKind.Identity })
        {
            var packed = Conv2DPackedWeights.Pack(shape, lanes, w, b);
            var convolved = new float[batch * shape.OutputSize];
            Conv2DKernel.Forward(shape, batch, x, w, b, convolved, workspace, activation, packed: packed);
            var expected = new float[batch * outChannels * pool.OutPixels];
            Pool2D.MaxForward(pool, batch * outChannels, convolved, expected, new int[expected.Length]);
            var pooled = new float[expected.Length];
            Conv2DKernel.ForwardChain([new Conv2DBlockedStage(shape, packed, activation, 0f, pool)], batch, x, pooled, workspace);
            AssertBitwiseEqual(expected, pooled, $"{lanes} lanes, {activation}");
        }
    }

    [Fact]
    public void MaxPooledForwardRefusesAWindowOutsideTheOutput()
    {
        var shape = new Conv2DShape(2, 16, ConvWindow.Create(8, 8, 3, 3, 1, 1, ConvPadding.Same));
        var (x, w, b) = Data(shape, 1);
        using var workspace = new Conv2DWorkspace();
        var padded = ConvWindow.Create(8, 8, 3, 3, 2, 2, ConvPadding.Same);
        var stage = new Conv2DBlockedStage(shape, Conv2DPackedWeights.Pack(shape, 4, w, b), BiasActivationKind.Relu, 0f, padded);
        AssertArgumentError(() => Conv2DKernel.ForwardChain([stage], 1, x, new float[16 * padded.OutPixels], workspace), "pooling window", "8x8");
    }

    public static TheoryData<int, int, int, int, int, int, int, int, int[]> InputGradientCases => new()
    {
        // batch, channels, height, width, outChannels, kernelH, kernelW, dilation, borders top, bottom, left, right
        { 2, 32, 14, 14, 64, 3, 3, 1, new[] { 1, 1, 1, 1 } }, // the Fashion-MNIST CNN's second convolution
        { 2, 20, 9, 18, 5, 3, 3, 1, new[] { 0, 0, 0, 0 } },   // 'valid': borders of 2 around the output gradient
        { 2, 12, 8, 14, 3, 3, 2, 1, new[] { 2, 0, 0, 1 } },   // uneven borders and a 3x2 kernel: uneven borders the other way round
        { 3, 13, 7, 7, 4, 1, 3, 1, new[] { 0, 0, 1, 1 } },    // a 1x3 kernel; 49 pixels: 8 tiles and 1 pixel
        { 2, 12, 12, 20, 3, 3, 3, 2, new[] { 2, 2, 2, 2 } },  // dilation 2, 'same'
        { 2, 12, 10, 12, 6, 3, 3, 2, new[] { 0, 1, 2, 0 } },  // dilation 2, uneven borders
    };

    [Theory]
    [MemberData(nameof(InputGradientCases))]
    public void InputGradientAsAConvolutionMatchesTheDefinitionAtEveryWidth(int batch, int channels, int height, int width, int outChannels,
        int kh, int kw, int dilation, int[] borders)
    {
        var shape = new Conv2DShape(channels, outChannels,
            ConvWindow.Create(height, width, kh, kw, 1, 1, borders[0], borders[1], borders[2], borders[3], dilation, dilation));
        var (_, w, _) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 4);
        var expected = ScalarInputGradient(shape, batch, w, upstream);
        var taken = Widths.Where(lanes => Conv2DBlockedInputGradient.Handles(shape, lanes)).ToArray();
        Assert.Contains(4, taken);
        using var workspace = new Conv2DWorkspace();
        foreach (int lanes in taken)
        {
            var dx = new float[batch * shape.InputSize];
            Conv2DBlockedInputGradient.Run(shape, batch, upstream, w, dx, workspace, lanes, accumulate: false);
            AssertClose(expected, dx, 1e-5, 1e-5, $"input gradient ({lanes} lanes)");
            var added = Enumerable.Repeat(1f, dx.Length).ToArray();
            Conv2DBlockedInputGradient.Run(shape, batch, upstream, w, added, workspace, lanes, accumulate: true);
            AssertClose(expected.Select(v => v + 1).ToArray(), added, 1e-5, 1e-5, $"input gradient added ({lanes} lanes)");
            if (lanes != Conv2DBlockedInputGradient.LanesFor(shape)) continue;
            // The backward pass takes this path at the width chosen for the shape, in one pass with the weight gradient or alone.
            var throughKernel = new float[dx.Length];
            Conv2DKernel.BackwardInput(shape, batch, upstream, w, throughKernel, workspace);
            AssertBitwiseEqual(dx, throughKernel, "the backward pass's input gradient");
            var (x, _, _) = Data(shape, batch);
            Conv2DKernel.Backward(shape, batch, x, upstream, w, throughKernel, new float[w.Length], new float[outChannels], workspace);
            AssertBitwiseEqual(dx, throughKernel, "the one-pass backward's input gradient");
        }
    }

    [Fact]
    public void InputGradientOfTheCnnsSecondConvolutionRunsAsAConvolutionAtEightLanes()
    {
        var shape = new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
        Assert.Equal(Conv2DBlocked.Runs(8), Conv2DBlockedInputGradient.Handles(shape, 8));
        var transposed = Conv2DBlockedInputGradient.Transposed(shape)!.Value;
        Assert.Equal((64, 32, 14, 14, 1, 1), (transposed.Channels, transposed.OutChannels, transposed.Window.OutHeight, transposed.Window.OutWidth,
            transposed.Window.PadTop, transposed.Window.PadLeft));
    }

    [Fact]
    public void InputGradientOfStridesOrBordersOfAWholeSpanGoesThroughTheGemm()
    {
        Assert.Null(Conv2DBlockedInputGradient.Transposed(new Conv2DShape(32, 32, ConvWindow.Create(14, 14, 3, 3, 2, 2, ConvPadding.Same))));
        Assert.Null(Conv2DBlockedInputGradient.Transposed(new Conv2DShape(32, 32, ConvWindow.Create(14, 14, 3, 3, 1, 2, ConvPadding.Same))));
        // A border of 3 rows around a 3x3 kernel: the first output row reads no input at all.
        Assert.Null(Conv2DBlockedInputGradient.Transposed(new Conv2DShape(32, 32, ConvWindow.Create(14, 14, 3, 3, 1, 1, 3, 0, 0, 0))));
        Assert.NotNull(Conv2DBlockedInputGradient.Transposed(new Conv2DShape(32, 32, ConvWindow.Create(14, 14, 3, 3, 1, 1, 2, 0, 0, 0))));
    }

    public static TheoryData<int, int, int, int, int, int, int, int, int[]> WeightGradientCases => new()
    {
        // channels, height, width, outChannels, kernelH, kernelW, stride, dilation, borders top, bottom, left, right
        { 32, 14, 14, 64, 3, 3, 1, 1, new[] { 1, 1, 1, 1 } }, // the Fashion-MNIST CNN's second convolution
        { 1, 28, 28, 32, 3, 3, 1, 1, new[] { 1, 1, 1, 1 } },  // its first: 9 cells, a tile and a partial one
        { 3, 9, 11, 8, 3, 3, 2, 1, new[] { 1, 1, 1, 1 } },    // stride 2
        { 5, 7, 9, 7, 3, 3, 1, 1, new[] { 1, 1, 1, 1 } },     // 7 channels: a partial group
        { 4, 10, 12, 8, 3, 2, 1, 2, new[] { 0, 1, 2, 0 } },   // dilation 2, uneven borders, a 3x2 kernel
        { 5, 7, 7, 6, 1, 3, 1, 1, new[] { 0, 0, 1, 1 } },     // a 1x3 kernel: 15 cells
    };

    [Theory]
    [MemberData(nameof(WeightGradientCases))]
    public void WeightGradientMatchesTheDefinitionAtEveryWidth(int channels, int height, int width, int outChannels, int kh, int kw,
        int stride, int dilation, int[] borders)
    {
        var shape = new Conv2DShape(channels, outChannels,
            ConvWindow.Create(height, width, kh, kw, stride, stride, borders[0], borders[1], borders[2], borders[3], dilation, dilation));
        // Two whole chunks and a partial one, so the backward pass adds chunk sums too.
        int batch = 2 * ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk + 1;
        var (x, _, _) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 6);
        var (expectedWeights, expectedBias) = ScalarWeightGradient(shape, batch, x, upstream);
        AssertChunkAtEveryWidthMatches(shape, x, upstream, 0, batch, expectedWeights, expectedBias);
        // The backward pass, whichever path it takes for this shape (blocked, small-patch or im2col), gives the same gradient.
        float[] kernelWeights = new float[shape.WeightCount], kernelBias = new float[outChannels];
        using var workspace = new Conv2DWorkspace();
        Conv2DKernel.BackwardWeights(shape, batch, x, upstream, kernelWeights, kernelBias, workspace);
        AssertClose(expectedWeights, kernelWeights, 1e-4, 1e-4, "the backward pass's weight gradient");
        AssertClose(expectedBias, kernelBias, 1e-4, 1e-4, "the backward pass's bias gradient");
    }

    public static TheoryData<int, int, int, int, int, int, int[]> SmallPlaneCases => new()
    {
        // channels, height, width, outChannels, kernel, stride, borders top, bottom, left, right
        { 8, 2, 2, 16, 3, 1, new[] { 1, 1, 1, 1 } },   // ResNet's last stage: 4 pixels, 16 samples a run
        { 5, 5, 5, 12, 3, 2, new[] { 1, 1, 1, 1 } },   // stride 2, 9 pixels: 8 samples a run; 12 channels, a partial group
        { 200, 3, 3, 16, 3, 1, new[] { 0, 0, 0, 0 } }, // one pixel of 1,800 cells: the bordered copies cap the run at 36 samples
    };

    [Theory]
    [MemberData(nameof(SmallPlaneCases))]
    public void WeightGradientOfSmallPlanesSumsRunsOfSamplesAsTheDefinition(int channels, int height, int width, int outChannels, int kernel,
        int stride, int[] borders)
    {
        var shape = new Conv2DShape(channels, outChannels,
            ConvWindow.Create(height, width, kernel, kernel, stride, stride, borders[0], borders[1], borders[2], borders[3]));
        int perRun = Conv2DBlockedWeightGradient.SamplesPerRun(shape);
        Assert.InRange(perRun, 2, 64);
        Assert.True((long)perRun * Conv2DBlocked.BorderedLength(shape) * sizeof(float) <= Conv2DBlocked.MaxBorderedBytes);
        // Two whole runs and a partial one, started past the first sample.
        int batch = 2 * perRun + 4, start = 1, count = batch - start;
        var (x, _, _) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 7);
        var (expectedWeights, expectedBias) = ScalarWeightGradient(shape, batch, x, upstream, start);
        AssertChunkAtEveryWidthMatches(shape, x, upstream, start, count, expectedWeights, expectedBias);
    }

    /// <summary>The blocked weight gradient of samples [start, start + count) at every width that takes the shape (4 lanes among them) against the definition.</summary>
    private static void AssertChunkAtEveryWidthMatches(Conv2DShape shape, float[] x, float[] upstream, int start, int count,
        double[] expectedWeights, double[] expectedBias)
    {
        var taken = Widths.Where(lanes => Conv2DBlockedWeightGradient.Handles(shape, lanes)).ToArray();
        Assert.Contains(4, taken);
        foreach (int lanes in taken)
        {
            float[] dw = new float[shape.WeightCount], db = new float[expectedBias.Length];
            var scratch = new float[Conv2DBlockedWeightGradient.ScratchLength(shape, lanes)];
            var offsets = new int[Conv2DBlockedWeightGradient.OffsetCount(shape)];
            fixed (float* px = x, pdy = upstream, ps = scratch, pdw = dw, pdb = db)
            fixed (int* po = offsets)
            {
                Conv2DBlockedWeightGradient.Offsets(shape, po);
                Conv2DBlockedWeightGradient.Chunk(shape, lanes, px, pdy, start, count, po, ps, pdw, pdb);
            }
            AssertClose(expectedWeights, dw, 1e-4, 1e-4, $"weight gradient ({lanes} lanes)");
            AssertClose(expectedBias, db, 1e-4, 1e-4, $"bias gradient ({lanes} lanes)");
        }
    }

    [Fact]
    public void BackwardIsBitIdenticalForAnyThreadCount()
    {
        // Both backward paths of the blocked kernel at this processor's width (16 output channels: the GEMM's at 16 lanes).
        var shape = new Conv2DShape(32, 16, ConvWindow.Create(9, 14, 3, 3, 1, 1, ConvPadding.Same));
        Assert.True(Conv2DBlockedInputGradient.Handles(shape, 4));
        Assert.True(Conv2DBlockedWeightGradient.Handles(shape, 4));
        int batch = 2 * ConvBatchChunks.For(1, shape.Window.InputPixels).SamplesPerChunk + 3;
        var (x, w, _) = Data(shape, batch);
        var upstream = RandomFloats(batch * shape.OutputSize, 5);
        AssertBitIdenticalForThreadCounts(Run, 2, 3);

        float[][] Run()
        {
            using var workspace = new Conv2DWorkspace();
            float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[shape.OutChannels], narrow = new float[x.Length];
            Conv2DKernel.Backward(shape, batch, x, upstream, w, dx, dw, db, workspace);
            Conv2DBlockedInputGradient.Run(shape, batch, upstream, w, narrow, workspace, 4, accumulate: false);
            return new[] { dx, dw, db, narrow };
        }
    }

    /// <summary>The weight and bias gradients by the definition, in double: Σ over samples from <paramref name="start"/> and output pixels of the output gradient times the input each weight met.</summary>
    private static (double[] Weights, double[] Bias) ScalarWeightGradient(Conv2DShape shape, int batch, float[] input, float[] outputGrad,
        int start = 0)
    {
        var w = shape.Window;
        double[] dw = new double[shape.WeightCount], db = new double[shape.OutChannels];
        for (int n = start; n < batch; n++)
        for (int o = 0; o < shape.OutChannels; o++)
        for (int i = 0; i < w.OutHeight; i++)
        for (int j = 0; j < w.OutWidth; j++)
        {
            double g = outputGrad[((n * shape.OutChannels + o) * w.OutHeight + i) * w.OutWidth + j];
            db[o] += g;
            for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < w.KernelHeight; p++)
            for (int q = 0; q < w.KernelWidth; q++)
            {
                int row = i * w.StrideHeight - w.PadTop + p * w.DilationHeight, column = j * w.StrideWidth - w.PadLeft + q * w.DilationWidth;
                if (row < 0 || row >= w.Height || column < 0 || column >= w.Width) continue;
                dw[((o * shape.Channels + c) * w.KernelHeight + p) * w.KernelWidth + q] +=
                    g * input[((n * shape.Channels + c) * w.Height + row) * w.Width + column];
            }
        }
        return (dw, db);
    }

    /// <summary>The input gradient by the definition's adjoint: each output gradient value spread over the inputs its window read.</summary>
    private static double[] ScalarInputGradient(Conv2DShape shape, int batch, float[] weights, float[] outputGrad)
    {
        var w = shape.Window;
        var dx = new double[batch * shape.InputSize];
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < shape.OutChannels; o++)
        for (int i = 0; i < w.OutHeight; i++)
        for (int j = 0; j < w.OutWidth; j++)
        {
            double g = outputGrad[((n * shape.OutChannels + o) * w.OutHeight + i) * w.OutWidth + j];
            for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < w.KernelHeight; p++)
            for (int q = 0; q < w.KernelWidth; q++)
            {
                int row = i - w.PadTop + p * w.DilationHeight, column = j - w.PadLeft + q * w.DilationWidth;
                if (row < 0 || row >= w.Height || column < 0 || column >= w.Width) continue;
                dx[((n * shape.Channels + c) * w.Height + row) * w.Width + column] +=
                    g * weights[((o * shape.Channels + c) * w.KernelHeight + p) * w.KernelWidth + q];
            }
        }
        return dx;
    }

    private static void AssertMatchesAtEveryWidth(Conv2DShape shape, int batch)
    {
        var (x, w, b) = Data(shape, batch);
        Assert.NotEmpty(Widths);
        using var workspace = new Conv2DWorkspace();
        foreach (int lanes in Widths)
        foreach (bool withBias in new[] { true, false })
        {
            var bias = withBias ? b : Array.Empty<float>();
            var packed = Conv2DPackedWeights.Pack(shape, lanes, w, bias);
            // Twice through one workspace: the second call reuses the bordered buffer of the first.
            for (int call = 0; call < 2; call++)
            {
                var y = new float[batch * shape.OutputSize];
                Conv2DKernel.Forward(shape, batch, x, w, bias, y, workspace, packed: packed);
                var expected = new double[y.Length];
                Conv2DScalar.Forward(shape, batch, ToDouble(x), ToDouble(w), ToDouble(bias), expected);
                AssertClose(expected, y, 1e-5, 1e-5, $"output ({lanes} lanes, bias {withBias}, call {call})");
            }
        }
    }

    private static (float[] Input, float[] Weights, float[] Bias) Data(Conv2DShape shape, int batch) =>
        (RandomFloats(batch * shape.InputSize, 1), RandomFloats(shape.WeightCount, 2, 0.5f), RandomFloats(shape.OutChannels, 3));
}
