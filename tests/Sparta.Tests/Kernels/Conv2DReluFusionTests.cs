using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Tests.Kernels;

/// <summary>
/// The backward of a ReLU convolution with ReLU's slope applied as the blocked kernels read the output
/// gradient, against the two passes it replaces (the activation's backward, then the convolution's),
/// bit for bit: zero and negative outputs, negative gradients where the slope is 0 (their product is −0),
/// NaN gradients, ragged rows and pixel runs; at each vector width this processor runs (16, 8 and 4 lanes
/// read the gradient through different paths).
/// </summary>
[Collection(VectorWidthCollection.Name)]
public class Conv2DReluFusionTests
{
    public static TheoryData<int, int, int, int, int, bool> Cases => new()
    {
        // batch, channels, height, width, outChannels, input gradient wanted
        { 3, 1, 28, 28, 32, false },  // the Fashion-MNIST CNN's first convolution: its weights alone
        { 3, 32, 14, 14, 64, true },  // its second: rows of 14
        { 2, 16, 9, 11, 16, true },   // 16 channels each way: 8 lanes on an AVX-512 processor
        { 2, 24, 7, 13, 24, true },   // 24 channels: a partial group at 16 lanes
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GivesTheSeparatePassesBitForBit(int batch, int channels, int height, int width, int outChannels, bool wantInput) =>
        VectorWidthCollection.AtEveryWidth(_ => AtThisWidth(batch, channels, height, width, outChannels, wantInput));

    private static void AtThisWidth(int batch, int channels, int height, int width, int outChannels, bool wantInput)
    {
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, 3, 3, 1, 1, ConvPadding.Same));
        Assert.True(Conv2DKernel.FusesRelu(shape, wantInput, weights: true) || Conv2DBlocked.Lanes == 0);
        if (!Conv2DKernel.FusesRelu(shape, wantInput, weights: true)) return;
        var random = new RandomGenerator(7);
        float[] Values(long length, float scale)
        {
            var values = new float[length];
            random.FillNormal(values, 0, scale);
            return values;
        }
        var x = Values((long)batch * shape.InputSize, 1f);
        var w = Values(shape.WeightCount, 0.2f);
        var y = Values((long)batch * shape.OutputSize, 1f);
        var g = Values(y.Length, 0.1f);
        for (int i = 0; i < y.Length; i += 7) y[i] = i % 2 == 0 ? 0f : -0f;
        for (int i = 3; i < g.Length; i += 101) g[i] = float.NaN;

        var pre = new float[g.Length];
        BiasActivation.Backward(BiasActivationKind.Relu, 0f, batch, outChannels, shape.Window.OutPixels, y, g, pre, default);
        var (expectedInput, expectedWeights, expectedBias) = Gradients(shape, batch, x, pre, w, wantInput, default);
        var (input, weights, bias) = Gradients(shape, batch, x, g, w, wantInput, y);

        AssertBits(expectedInput, input);
        AssertBits(expectedWeights, weights);
        AssertBits(expectedBias, bias);
    }

    [Fact]
    public void AShapeTheBlockedKernelsDoNotTakeIsRefusedByName()
    {
        var shape = new Conv2DShape(4, 8, ConvWindow.Create(6, 6, 1, 1, 1, 1, ConvPadding.Valid)); // 1x1: the GEMM reads in place
        Assert.False(Conv2DKernel.FusesRelu(shape, input: false, weights: true));
        using var workspace = new Conv2DWorkspace();
        var error = Assert.Throws<ArgumentException>(() => Conv2DKernel.Backward(shape, 1, new float[shape.InputSize], new float[shape.OutputSize],
            new float[shape.WeightCount], default, new float[shape.WeightCount], default, workspace, reluOutput: new float[shape.OutputSize]));
        Assert.Contains("reluOutput", error.Message);
    }

    [Fact]
    public void LanesGivenByTheCallerAreTheOnesRunAfterTheWidthChanges()
    {
        // The node reads the lanes once and checks the fused ReLU with them; a width changed before the kernels
        // run must not change which kernels run (a kernel that falls back to the GEMM would drop the ReLU output).
        var shape = new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
        int before = VectorWidth.Bits;
        try
        {
            VectorWidth.Bits = VectorWidthCollection.Widths[^1];
            var lanes = Conv2DBackwardLanes.For(shape);
            Assert.True(lanes.FusesRelu(input: true, weights: true));
            var random = new RandomGenerator(3);
            var x = new float[2 * shape.InputSize];
            var w = new float[shape.WeightCount];
            var y = new float[2 * shape.OutputSize];
            var g = new float[y.Length];
            random.FillNormal(x, 0, 1f);
            random.FillNormal(w, 0, 0.2f);
            random.FillNormal(y, 0, 1f);
            random.FillNormal(g, 0, 0.1f);
            var pre = new float[g.Length];
            BiasActivation.Backward(BiasActivationKind.Relu, 0f, 2, shape.OutChannels, shape.Window.OutPixels, y, g, pre, default);
            var (expectedInput, expectedWeights, expectedBias) = Gradients(shape, 2, x, pre, w, wantInput: true, default);
            VectorWidth.Bits = VectorWidthCollection.Widths[0];
            var input = new float[x.Length];
            var weights = new float[w.Length];
            var bias = new float[shape.OutChannels];
            using var workspace = new Conv2DWorkspace();
            Conv2DKernel.Backward(shape, 2, x, g, w, input, weights, bias, workspace, reluOutput: y, lanes: lanes);
            AssertBits(expectedInput, input);
            AssertBits(expectedWeights, weights);
            AssertBits(expectedBias, bias);
        }
        finally
        {
            VectorWidth.Bits = before;
        }
    }

    [Fact]
    public void LanesTheBlockedKernelsDoNotTakeAreRefusedByName()
    {
        var shape = new Conv2DShape(4, 8, ConvWindow.Create(9, 9, 3, 3, 2, 2, ConvPadding.Valid)); // stride 2: no blocked input gradient
        using var workspace = new Conv2DWorkspace();
        var error = Assert.Throws<ArgumentException>(() => Conv2DKernel.Backward(shape, 1, new float[shape.InputSize], new float[shape.OutputSize],
            new float[shape.WeightCount], new float[shape.InputSize], new float[shape.WeightCount], default, workspace,
            lanes: new Conv2DBackwardLanes(4, 4)));
        Assert.Contains("lanes", error.Message);
    }

    private static (float[] Input, float[] Weights, float[] Bias) Gradients(Conv2DShape shape, int batch, float[] x, float[] g, float[] w,
        bool wantInput, float[]? relu)
    {
        var input = wantInput ? new float[x.Length] : [];
        var weights = new float[shape.WeightCount];
        var bias = new float[shape.OutChannels];
        using var workspace = new Conv2DWorkspace();
        Conv2DKernel.Backward(shape, batch, x, g, w, input, weights, bias, workspace, reluOutput: relu);
        return (input, weights, bias);
    }

    private static void AssertBits(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"value {i}: {actual[i]}, the separate passes give {expected[i]}");
    }
}
