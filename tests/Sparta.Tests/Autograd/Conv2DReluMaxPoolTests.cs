using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;
using Sparta.Tests.Kernels;

namespace Sparta.Tests.Autograd;

/// <summary>
/// A ReLU convolution and the max pooling after it trained as one op (the convolution's output never written, its
/// gradient rebuilt from the pooled one) against the two ops run one by one, bit for bit: the pooled output and
/// every gradient, with outputs at 0 and below (ReLU's slope 0, ties in a window), NaN gradients, odd planes whose
/// last row and column no window reads, partial channel groups; at each vector width this processor runs.
/// </summary>
[Collection(VectorWidthCollection.Name)]
public class Conv2DReluMaxPoolTests
{
    public static TheoryData<int, int, int, int, int, bool> Cases => new()
    {
        // batch, channels, height, width, outChannels, input gradient wanted
        { 3, 1, 28, 28, 32, false },  // the Fashion-MNIST CNN's first convolution and pooling
        { 13, 32, 14, 14, 64, true }, // its second: 13 samples, two chunks of the weight gradient
        { 2, 16, 9, 11, 16, true },   // odd planes: a row and a column no window reads; 8 lanes on an AVX-512 processor
        { 2, 24, 8, 6, 40, true },    // partial channel groups both ways
        { 40, 16, 4, 4, 16, true },      // a 4x4 plane: runs of 4 samples in the weight gradient
        { 41, 16, 5, 5, 16, true },      // runs of 3, the last one of 2, and a row and a column no window reads
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GivesTheTwoOpsBitForBit(int batch, int channels, int height, int width, int outChannels, bool wantInput) =>
        VectorWidthCollection.AtEveryWidth(_ => AtThisWidth(batch, channels, height, width, outChannels, wantInput));

    private static void AtThisWidth(int batch, int channels, int height, int width, int outChannels, bool wantInput)
    {
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, 3, 3, 1, 1, ConvPadding.Same));
        var pool = ConvWindow.Create(height, width, 2, 2, 2, 2, ConvPadding.Valid);
        Assert.True(Conv2DKernel.PooledLanes(shape, pool, wantInput) > 0 || Conv2DBlocked.Lanes == 0);
        if (Conv2DKernel.PooledLanes(shape, pool, wantInput) == 0) return;
        foreach (bool nan in new[] { false, true })
        {
            var separate = Run(shape, pool, batch, wantInput, fused: false, nan);
            var fused = Run(shape, pool, batch, wantInput, fused: true, nan);
            for (int i = 0; i < separate.Length; i++) AssertBits(separate[i], fused[i], i);
        }
    }

    /// <summary>The pooled output, then the input (if wanted), weight and bias gradients.</summary>
    private static float[][] Run(Conv2DShape shape, ConvWindow pool, int batch, bool wantInput, bool fused, bool nan)
    {
        var random = new RandomGenerator(11);
        var x = Tensor.Zeros(batch, shape.Channels, shape.Window.Height, shape.Window.Width);
        var w = Tensor.Zeros(shape.OutChannels, shape.Channels, 3, 3);
        var b = Tensor.Zeros(shape.OutChannels);
        random.FillNormal(x.Span, 0, 1);
        random.FillNormal(w.Span, 0, 0.3);
        random.FillNormal(b.Span, 0, 0.2);
        // Equal inputs make ties in the windows (the first maximum wins) and outputs of exactly 0 after ReLU.
        for (int i = 0; i < x.Size; i += 5) x.Span[i] = x.Span[Math.Max(0, i - 1)];
        x.RequiresGrad = wantInput;
        w.RequiresGrad = b.RequiresGrad = true;
        var y = fused ? Ops.Conv2DReluMaxPool(x, w, b, shape, pool)! : x.Conv2D(w, b, 1, ConvPadding.Same, BiasActivationKind.Relu, 0f).MaxPool2D(pool);
        var upstream = Tensor.Zeros(y.Shape);
        random.FillNormal(upstream.Span, 0, 1);
        // NaN gradients in the last sample only (a weight gradient sums every sample, and would be all NaN).
        if (nan) for (int i = upstream.Size - 3; i >= (batch - 1) * upstream.Size / batch; i -= 37) upstream.Span[i] = float.NaN;
        var output = y.ToArray();
        y.Backward(upstream);
        return wantInput ? [output, x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray()] : [output, w.Grad!.ToArray(), b.Grad!.ToArray()];
    }

    [Fact]
    public void LanesTheKernelsDoNotTakeAreRefusedByName()
    {
        var shape = new Conv2DShape(4, 16, ConvWindow.Create(8, 8, 3, 3, 1, 1, ConvPadding.Same));
        var overlapping = ConvWindow.Create(8, 8, 3, 3, 2, 2, ConvPadding.Valid); // windows of 3 every 2: a pixel in two windows
        Assert.Equal(0, Conv2DKernel.PooledLanes(shape, overlapping, input: true));
        using var workspace = new Conv2DWorkspace();
        var error = Assert.Throws<ArgumentException>(() => Conv2DKernel.BackwardPooled(shape, overlapping, 4, 1, new float[shape.InputSize],
            new float[16 * 9], new float[16 * 9], new float[16 * 9], new float[shape.WeightCount], default, new float[shape.WeightCount], default, workspace));
        Assert.Contains("lanes", error.Message);
    }

    [Fact]
    public void ATrainingStepOfTheCnnIsTheSameWithTheOpAsWithoutIt() => VectorWidthCollection.AtEveryWidth(_ =>
    {
        // The model fuses each convolution with its pooling in a training step; the layers' own calls (the reference) do not.
        var first = new Conv2DShape(1, 32, ConvWindow.Create(12, 12, 3, 3, 1, 1, ConvPadding.Same));
        var second = new Conv2DShape(32, 64, ConvWindow.Create(6, 6, 3, 3, 1, 1, ConvPadding.Same));
        Assert.True(Conv2DKernel.PooledLanes(first, ConvWindow.Create(12, 12, 2, 2, 2, 2, ConvPadding.Valid), input: false) > 0);
        Assert.True(Conv2DKernel.PooledLanes(second, ConvWindow.Create(6, 6, 2, 2, 2, 2, ConvPadding.Valid), input: true) > 0);
        var (fusedLoss, fusedWeights) = TrainStep(throughModel: true);
        var (separateLoss, separateWeights) = TrainStep(throughModel: false);
        Assert.Equal(BitConverter.SingleToInt32Bits(separateLoss), BitConverter.SingleToInt32Bits(fusedLoss));
        for (int i = 0; i < separateWeights.Length; i++) AssertBits(separateWeights[i], fusedWeights[i], i);
    });

    [Fact]
    public void EveryLayersOutputIsThereWhenATrainingPassReadsThemAll()
    {
        // The pooled op leaves the convolution's slot empty; a caller that reads every layer's output must not get that.
        var layers = new Layer[] { new Conv2D(32, 3, "relu", padding: "same"), new MaxPool2D(), new Flatten(), new Dense(10) };
        var model = new Sequential([1, 12, 12], layers, seed: 5);
        var x = Tensor.Zeros(2, 1, 12, 12);
        new RandomGenerator(3).FillNormal(x.Span, 0, 1);
        var outputs = model.StepOutputs([x], training: true);
        Assert.Equal(layers.Length, outputs.Count);
        var convolution = outputs[0].Output;
        Assert.NotNull(convolution);
        var expected = layers[0].Call(x, training: true);
        AssertBits(expected.ToArray(), convolution.ToArray(), 0);
    }

    private static (float Loss, float[][] Gradients) TrainStep(bool throughModel)
    {
        var layers = new Layer[]
        {
            new Conv2D(32, 3, "relu", padding: "same"), new MaxPool2D(), new Conv2D(64, 3, "relu", padding: "same"), new MaxPool2D(),
            new Flatten(), new Dense(10),
        };
        var model = new Sequential([1, 12, 12], layers, seed: 5);
        var random = new RandomGenerator(2);
        var x = Tensor.Zeros(6, 1, 12, 12);
        random.FillNormal(x.Span, 0, 1);
        Tensor output;
        if (throughModel) output = model.Forward(x, training: true);
        else
        {
            output = x;
            foreach (var layer in layers) output = layer.Call(output, training: true);
        }
        var loss = (output * output).Mean();
        loss.Backward();
        var gradients = model.Parameters.Select(p => p.Value.Grad!.ToArray()).ToArray();
        return (loss.ToArray()[0], gradients);
    }

    private static void AssertBits(float[] expected, float[] actual, int which)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"result {which}, value {i}: {actual[i]}, the two ops give {expected[i]}");
    }
}
