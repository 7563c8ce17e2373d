using Sparta.Kernels;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;
using static Sparta.Tests.Kernels.ConvTestMath;

namespace Sparta.Tests.Kernels;

/// <summary>
/// Every kernel that shares its work among the worker team (pooling, batch normalization, the
/// channels-blocked convolutions and their chain, the im2col convolution's backward) gives the bits it
/// gives on one thread when it runs on two or three, both as the team usually runs and with its threads
/// pausing at random at every hand-over (<see cref="WorkerTeamStress"/>): a shared write, a scratch
/// buffer two parts use at once or a sum whose order follows the claiming order shows as a changed bit.
/// Without the stress the team may run every part on the caller when the other threads are busy
/// elsewhere; with it the parts always go to whichever thread claims them first. Sizes are chosen so
/// that the work is cut in several parts, the last one smaller.
/// </summary>
[Collection(WorkerTeamStressCollection.Name)]
public unsafe class ParallelKernelsTests
{
    /// <summary>Vector widths this processor runs the channels-blocked kernels at.</summary>
    private static int[] Widths => new[] { 4, 8, 16 }.Where(Conv2DBlocked.Runs).ToArray();

    public static TheoryData<int, int, int, int, ConvPadding> MaxPoolWindows => new()
    {
        // height, width, kernel, stride, padding: each takes a different path of Pool2D.MaxForward/MaxBackward
        { 28, 28, 2, 2, ConvPadding.Valid },  // 2x2 of stride 2, rows of 14 outputs: the 256-bit 2x2 kernel (128-bit without AVX2)
        { 14, 14, 2, 2, ConvPadding.Valid },  // rows of 7 outputs: the 128-bit 2x2 kernel
        { 29, 31, 2, 2, ConvPadding.Valid },  // a trailing row and column no window reads
        { 17, 19, 3, 2, ConvPadding.Valid },  // 3x3 of stride 2 inside the image: the gathering AVX2 kernel
        { 12, 13, 3, 1, ConvPadding.Same },   // a border: the general loop
    };

    [Theory]
    [MemberData(nameof(MaxPoolWindows))]
    public void MaxPoolingIsBitIdenticalOnAnyThreadCount(int height, int width, int kernel, int stride, ConvPadding padding)
    {
        var window = ConvWindow.Create(height, width, kernel, kernel, stride, stride, padding);
        int planes = 3 * Pool2D.PlanesPerThread(window) + 5;
        // Values on a coarse grid: many windows hold ties, whose index must not depend on the thread.
        var x = RandomFloats(planes * window.InputPixels, 41).Select(v => MathF.Round(v * 4) / 4).ToArray();
        var upstream = RandomFloats(planes * window.OutPixels, 42);
        var earlier = RandomFloats(planes * window.InputPixels, 43);
        AssertSameBitsOnAnyThreadCount(() =>
        {
            var y = new float[planes * window.OutPixels];
            var argmax = new int[y.Length];
            Pool2D.MaxForward(window, planes, x, y, argmax);
            var dx = new float[x.Length];
            Pool2D.MaxBackward(window, planes, upstream, argmax, dx);
            var accumulated = (float[])earlier.Clone();
            Pool2D.MaxBackward(window, planes, upstream, argmax, accumulated, accumulate: true);
            return [y, argmax.Select(i => (float)i).ToArray(), dx, accumulated];
        });
    }

    public static TheoryData<int, int, int> BatchNormShapes => new()
    {
        // batch, channels, plane: past the size that splits the channels among threads
        { 9, 7, 1100 },  // images: each plane more than a piece of 1,024 values, the last piece partial
        { 257, 301, 1 }, // a dense layer's features: channels interleaved value by value
    };

    [Theory]
    [MemberData(nameof(BatchNormShapes))]
    public void BatchNormalizationIsBitIdenticalOnAnyThreadCount(int batch, int channels, int plane)
    {
        // Far from zero and spread unevenly, so the sums' rounding depends on their order.
        var x = RandomFloats(batch * channels * plane, 51).Select((v, i) => 3f + v * (1 + i % 13)).ToArray();
        var g = RandomFloats(x.Length, 52);
        var gamma = RandomFloats(channels, 53).Select(v => 1 + v / 2).ToArray();
        var beta = RandomFloats(channels, 54);
        AssertSameBitsOnAnyThreadCount(() =>
        {
            float[] mean = new float[channels], variance = new float[channels];
            BatchNormKernel.Statistics(batch, channels, plane, x, mean, variance);
            var inverse = variance.Select(v => 1 / MathF.Sqrt(v + 1e-3f)).ToArray();
            var scale = gamma.Select((s, c) => s * inverse[c]).ToArray();
            var shift = beta.Select((b, c) => b - mean[c] * scale[c]).ToArray();
            var y = new float[x.Length];
            BatchNormKernel.Normalize(batch, channels, plane, x, scale, shift, y);
            float[] dx = new float[x.Length], dGamma = new float[channels], dBeta = new float[channels];
            BatchNormKernel.Backward(batch, channels, plane, x, g, mean, inverse, gamma, dx, dGamma, dBeta);
            // The gradient written over the output gradient it reads, as the layer's backward does.
            var inPlace = (float[])g.Clone();
            BatchNormKernel.Backward(batch, channels, plane, x, inPlace, mean, inverse, default, inPlace, default, default);
            return [mean, variance, y, dx, dGamma, dBeta, inPlace];
        });
    }

    [Fact]
    public void BatchNormalizationSplitAcrossThreadsAllocatesNothing()
    {
        // 4 x 16 x 1,024 values: the size from which the channels are shared out.
        const int batch = 4, channels = 16, plane = 1024;
        using var threads = Parallelism.Scope(2);
        var x = RandomFloats(batch * channels * plane, 55);
        var g = RandomFloats(x.Length, 56);
        float[] mean = new float[channels], variance = new float[channels], inverse = new float[channels];
        float[] y = new float[x.Length], dx = new float[x.Length], dGamma = new float[channels], dBeta = new float[channels];
        var ones = Enumerable.Repeat(1f, channels).ToArray();
        long Pass()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            BatchNormKernel.Statistics(batch, channels, plane, x, mean, variance);
            BatchNormKernel.Normalize(batch, channels, plane, x, ones, variance, y);
            BatchNormKernel.Backward(batch, channels, plane, x, g, mean, ones, ones, dx, dGamma, dBeta);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Pass(); // the first calls make the splits' reusable objects
        // The least of a few passes: a pass that found the worker team busy with another test's call ran on the thread pool.
        Assert.Equal(0, Enumerable.Range(0, 5).Min(_ => Pass()));
    }

    /// <summary>
    /// A training step's convolution calls (the forward pass, both gradients at once and the input gradient alone, and a
    /// chain of two stages) allocate nothing once the workspace and the splits' reusable objects exist, on one thread
    /// and split among two: every shape of <see cref="BlockedShapes"/>, so the im2col, small-patch and channels-blocked kernels all run.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ConvolutionsAllocateNothingAfterTheFirstCall(int threadCount)
    {
        using var threads = Parallelism.Scope(threadCount);
        using var workspace = new Conv2DWorkspace();
        var calls = new List<Action>();
        foreach (var row in BlockedShapes)
        {
            int channels = (int)row[0], size = (int)row[1], width = (int)row[2], outChannels = (int)row[3], kernel = (int)row[4], stride = (int)row[5];
            var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(size, width, kernel, kernel, stride, stride, ConvPadding.Same));
            int batch = 2 * ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk + 1;
            var x = RandomFloats(batch * shape.InputSize, 81);
            var w = RandomFloats(shape.WeightCount, 82, 0.3f);
            var b = RandomFloats(outChannels, 83);
            var g = RandomFloats(batch * shape.OutputSize, 84);
            float[] y = new float[g.Length], dx = new float[x.Length], dw = new float[w.Length], db = new float[outChannels];
            int lanes = Conv2DBlocked.LanesFor(shape);
            var packed = lanes > 0 ? Conv2DPackedWeights.Pack(shape, lanes, w, b) : null;
            calls.Add(() => Conv2DKernel.Forward(shape, batch, x, w, b, y, workspace, BiasActivationKind.Relu, packed: packed));
            calls.Add(() => Conv2DKernel.Backward(shape, batch, x, g, w, dx, dw, db, workspace));
            calls.Add(() => Conv2DKernel.BackwardInput(shape, batch, g, w, dx, workspace, accumulate: true));
            calls.Add(() => Conv2DKernel.BackwardWeights(shape, batch, x, g, dw, db, workspace));
        }
        var (stages, _, _) = Conv2DBlockedChainTests.Stages([1, 28, 28], Conv2DBlockedChainTests.FashionCnn, Widths[0], seed: 85);
        var chainInput = RandomFloats(9 * stages[0].Shape.InputSize, 86);
        var chainOutput = new float[9 * stages[^1].OutputSize];
        calls.Add(() => Conv2DKernel.ForwardChain(stages, 9, chainInput, chainOutput, workspace));
        long Pass()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var call in calls) call();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Pass(); // the first calls grow the workspace and make the splits' reusable objects
        // The least of a few passes: a pass that found the worker team busy with another test's call ran on the thread pool.
        Assert.Equal(0, Enumerable.Range(0, 3).Min(_ => Pass()));
    }

    public static TheoryData<int, int, int, int, int, int> BlockedShapes => new()
    {
        // channels, height, width, output channels, kernel, stride ('same')
        { 5, 9, 14, 16, 3, 1 },   // whole channel groups at 4 and 8 lanes
        { 3, 11, 10, 13, 3, 1 },  // 13 channels: a partial last group at every width
        { 4, 12, 13, 24, 3, 2 },  // stride 2: the input gradient goes through the GEMM
        { 1, 28, 28, 32, 3, 1 },  // the Fashion-MNIST CNN's first convolution: a patch the small-patch kernel sums
    };

    [Theory]
    [MemberData(nameof(BlockedShapes))]
    public void BlockedConvolutionsAreBitIdenticalOnAnyThreadCount(int channels, int height, int width, int outChannels, int kernel, int stride)
    {
        var shape = new Conv2DShape(channels, outChannels, ConvWindow.Create(height, width, kernel, kernel, stride, stride, ConvPadding.Same));
        // Several chunks of both splits, the last one partial.
        int batch = 2 * Math.Max(ConvBatchChunks.For(1, shape.Window.OutPixels).SamplesPerChunk,
            ConvBatchChunks.ForBlocked(1, shape.Window.OutPixels).SamplesPerChunk) + 3;
        var x = RandomFloats(batch * shape.InputSize, 61);
        var w = RandomFloats(shape.WeightCount, 62, 0.3f);
        var b = RandomFloats(outChannels, 63);
        var upstream = RandomFloats(batch * shape.OutputSize, 64);
        var earlier = RandomFloats(x.Length, 65);
        var widths = Widths.Where(lanes => Conv2DBlocked.Fits(shape, lanes)).ToArray();
        Assert.NotEmpty(widths);
        AssertSameBitsOnAnyThreadCount(() =>
        {
            var results = new List<float[]>();
            using var workspace = new Conv2DWorkspace();
            foreach (int lanes in widths)
            {
                var y = new float[batch * shape.OutputSize];
                Conv2DKernel.Forward(shape, batch, x, w, b, y, workspace, BiasActivationKind.Relu, packed: Conv2DPackedWeights.Pack(shape, lanes, w, b));
                results.Add(y);
                if (!Conv2DBlockedInputGradient.Handles(shape, lanes)) continue;
                var dx = (float[])earlier.Clone();
                Conv2DBlockedInputGradient.Run(shape, batch, upstream, w, dx, workspace, lanes, accumulate: true);
                results.Add(dx);
            }
            foreach (bool accumulate in new[] { false, true })
            {
                float[] dx = (float[])earlier.Clone(), dw = RandomFloats(w.Length, 66), db = RandomFloats(outChannels, 67);
                Conv2DKernel.Backward(shape, batch, x, upstream, w, dx, dw, db, workspace, accumulate);
                results.AddRange([dx, dw, db]);
            }
            return results.ToArray();
        });
    }

    [Fact]
    public void ChainedConvolutionsAndTheirPoolingAreBitIdenticalOnAnyThreadCount()
    {
        Assert.NotEmpty(Widths);
        foreach (int lanes in Widths)
        {
            var (stages, _, _) = Conv2DBlockedChainTests.Stages([1, 28, 28], Conv2DBlockedChainTests.FashionCnn, lanes, seed: 70);
            int batch = 2 * ConvBatchChunks.ForBlocked(1, stages[0].Shape.Window.OutPixels).SamplesPerChunk + 1;
            var x = RandomFloats(batch * stages[0].Shape.InputSize, 71);
            AssertSameBitsOnAnyThreadCount(() =>
            {
                using var workspace = new Conv2DWorkspace();
                // Twice through one workspace: the second call reuses each worker's scratch.
                return [Conv2DBlockedChainTests.Run(stages, batch, x, workspace), Conv2DBlockedChainTests.Run(stages, batch, x, workspace)];
            });
        }
    }

    [Fact]
    public void AModelWithBatchNormalizationAndPoolingTrainsToTheSameBitsOnAnyThreadCount()
    {
        // A batch that no split divides evenly; every layer kind above large enough to be shared out.
        const int batch = 37;
        var images = Tensor.Zeros(batch, 1, 28, 28);
        new RandomGenerator(80).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(batch);
        for (int i = 0; i < batch; i++) labels.Span[i] = i * 3 % 10;
        AssertSameBitsOnAnyThreadCount(() =>
        {
            var model = new Sequential([1, 28, 28],
            [
                new Conv2D(8, 3, "relu", padding: "same"), new BatchNormalization(), new MaxPool2D(3, strides: 2),
                new Conv2D(16, 3, "relu", padding: "same"), new BatchNormalization(), new MaxPool2D(2),
                new AveragePooling2D(2), new Flatten(), new Dense(10),
            ], seed: 81);
            return Sparta.Tests.Training.PooledSteps.Train(model, images, labels, steps: 2);
        });
    }

    /// <summary>
    /// <paramref name="run"/> on one thread, then on two and three threads, each without and then with
    /// the team's threads pausing at random: every result must keep every bit.
    /// </summary>
    private static void AssertSameBitsOnAnyThreadCount(Func<float[][]> run)
    {
        AssertBitIdenticalForThreadCounts(run, 2, 3);
        WorkerTeamStress.Enabled = true;
        try { AssertBitIdenticalForThreadCounts(run, 2, 3, 2); }
        finally { WorkerTeamStress.Enabled = false; }
    }
}
