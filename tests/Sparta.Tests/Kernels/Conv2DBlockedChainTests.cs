using Sparta.Kernels;
using Sparta.Tensors;
using static Sparta.Tests.Kernels.ConvTestMath;

namespace Sparta.Tests.Kernels;

/// <summary>
/// Convolutions chained in the channels-blocked layout, at every vector width this processor runs:
/// bit for bit the values of the stages run one at a time (each convolution's own forward pass, then
/// the pooling kernel), and close to the definition computed in doubles; on chains that reach the
/// edges of the blocked input (partial channel blocks, strides and dilation reading the bordered
/// blocks, windows leaving rows unread) and end in an activation the tile does not fuse.
/// </summary>
public class Conv2DBlockedChainTests
{
    private static int[] Widths => new[] { 4, 8, 16 }.Where(Conv2DBlocked.Runs).ToArray();

    /// <summary>A stage as the tests write it: filters, kernel, stride, dilation, 'same' or 'valid', activation (relu, linear or tanh), pool size and stride (0: none).</summary>
    public sealed record Spec(int Filters, int Kernel, int Stride, int Dilation, ConvPadding Padding, string Activation, int Pool, int PoolStride)
    {
        internal BiasActivationKind Kind => Activation switch
        {
            "relu" => BiasActivationKind.Relu,
            "tanh" => BiasActivationKind.Tanh,
            _ => BiasActivationKind.Identity,
        };

        public override string ToString() => $"{Filters} {Kernel}x{Kernel}/{Stride} d{Dilation} {Padding} {Activation} pool {Pool}/{PoolStride}";
    }

    internal static readonly Spec[] FashionCnn =
    [
        new(32, 3, 1, 1, ConvPadding.Same, "relu", 2, 2),
        new(64, 3, 1, 1, ConvPadding.Same, "relu", 2, 2),
    ];

    public static TheoryData<int[], Spec[]> Chains => new()
    {
        // input (C, H, W), then the stages
        { new[] { 1, 28, 28 }, FashionCnn }, // the Fashion-MNIST CNN's two convolutions and poolings
        {
            new[] { 3, 11, 13 },
            [
                new(24, 3, 1, 1, ConvPadding.Same, "relu", 0, 0),      // 24 channels: a partial last block at 8 and 16 lanes
                new(28, 3, 2, 1, ConvPadding.Valid, "linear", 0, 0), // stride 2 over the blocked input, no pooling between
                new(24, 3, 1, 1, ConvPadding.Same, "relu", 0, 0),
            ]
        },
        {
            new[] { 2, 16, 15 },
            [
                new(24, 3, 1, 2, ConvPadding.Same, "relu", 3, 2),     // dilated; 3x3 windows of stride 2 leave the last row unread
                new(28, 2, 1, 1, ConvPadding.Valid, "linear", 2, 1), // a 2x2 kernel, overlapping windows
                new(32, 3, 1, 1, ConvPadding.Same, "tanh", 0, 0),      // tanh, applied after the tile, on the last stage only
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public void AChainGivesTheValuesOfItsStagesRunOneAtATimeAndOfTheDefinition(int[] input, Spec[] specs)
    {
        const int batch = 3;
        Assert.NotEmpty(Widths);
        foreach (int lanes in Widths)
        {
            var (stages, weights, biases) = Stages(input, specs, lanes, seed: 20);
            var x = RandomFloats(batch * stages[0].Shape.InputSize, 21);
            using var workspace = new Conv2DWorkspace();
            var chained = Run(stages, batch, x, workspace);
            AssertBitwiseEqual(OneAtATime(stages, weights, biases, batch, x, workspace), chained, $"{lanes} lanes, against the stages one by one");
            AssertClose(Definition(stages, weights, biases, batch, x), chained, 1e-4, 1e-4, $"{lanes} lanes, against the definition");
            // Again through the same workspace: its bordered buffers keep their zero borders.
            AssertBitwiseEqual(chained, Run(stages, batch, x, workspace), $"{lanes} lanes, second call");
        }
    }

    [Fact]
    public void ResultsAreBitIdenticalForAnyThreadCount()
    {
        int lanes = Conv2DBlocked.Lanes;
        Assert.True(lanes > 0);
        var (stages, _, _) = Stages([1, 28, 28], FashionCnn, lanes, seed: 30);
        int batch = 2 * ConvBatchChunks.For(1, stages[0].Shape.Window.OutPixels).SamplesPerChunk + 1;
        var x = RandomFloats(batch * stages[0].Shape.InputSize, 31);
        using var threadCount = Parallelism.Scope(1);
        using var workspace = new Conv2DWorkspace();
        var reference = Run(stages, batch, x, workspace);
        foreach (int threads in new[] { 2, 3 })
        {
            Parallelism.ThreadCount = threads;
            AssertBitwiseEqual(reference, Run(stages, batch, x, workspace), $"threads {threads}");
        }
    }

    [Fact]
    public void StagesThatDoNotFollowOneAnotherAreRefused()
    {
        int lanes = Conv2DBlocked.Lanes;
        Assert.True(lanes > 0);
        var (stages, _, _) = Stages([1, 28, 28], FashionCnn, lanes, seed: 40);
        var skipped = new[] { stages[1], stages[1] }; // the second reads 64 channels, the first writes 64 of 7x7
        using var workspace = new Conv2DWorkspace();
        AssertArgumentError(() => Conv2DKernel.ForwardChain(skipped, 1, new float[stages[1].Shape.InputSize], new float[stages[1].OutputSize], workspace),
            "stage 1", "does not read stage 0");
        AssertArgumentError(() => Conv2DKernel.ForwardChain(stages, 2, new float[784], new float[2 * stages[1].OutputSize], workspace),
            "input", "2x1x28x28");
    }

    internal static float[] Run(IReadOnlyList<Conv2DBlockedStage> stages, int batch, float[] x, Conv2DWorkspace workspace)
    {
        var y = new float[batch * stages[^1].OutputSize];
        Conv2DKernel.ForwardChain(stages, batch, x, y, workspace);
        return y;
    }

    /// <summary>Each convolution's forward pass (into NCHW), then the pooling kernel, one stage after the other.</summary>
    private static float[] OneAtATime(IReadOnlyList<Conv2DBlockedStage> stages, float[][] weights, float[][] biases, int batch, float[] x,
        Conv2DWorkspace workspace)
    {
        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            var y = new float[batch * stage.Shape.OutputSize];
            Conv2DKernel.Forward(stage.Shape, batch, x, weights[s], biases[s], y, workspace, stage.Activation, stage.Alpha, stage.Packed);
            if (stage.Pool is { } pool)
            {
                var pooled = new float[batch * stage.OutputSize];
                Pool2D.MaxForward(pool, batch * stage.Shape.OutChannels, y, pooled, new int[pooled.Length]);
                y = pooled;
            }
            x = y;
        }
        return x;
    }

    /// <summary>The reference convolution, activation and max pooling in doubles.</summary>
    private static double[] Definition(IReadOnlyList<Conv2DBlockedStage> stages, float[][] weights, float[][] biases, int batch, float[] input)
    {
        var x = ToDouble(input);
        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            var y = new double[batch * stage.Shape.OutputSize];
            Conv2DScalar.Forward(stage.Shape, batch, x, ToDouble(weights[s]), ToDouble(biases[s]), y);
            for (int i = 0; i < y.Length; i++)
                y[i] = stage.Activation switch
                {
                    BiasActivationKind.Relu => Math.Max(y[i], 0),
                    BiasActivationKind.Tanh => Math.Tanh(y[i]),
                    _ => y[i],
                };
            if (stage.Pool is { } pool)
            {
                var pooled = new double[batch * stage.OutputSize];
                Pool2DScalar.MaxForward(pool, batch * stage.Shape.OutChannels, y, pooled);
                y = pooled;
            }
            x = y;
        }
        return x;
    }

    internal static (Conv2DBlockedStage[] Stages, float[][] Weights, float[][] Biases) Stages(int[] input, Spec[] specs, int lanes, int seed)
    {
        var stages = new Conv2DBlockedStage[specs.Length];
        var weights = new float[specs.Length][];
        var biases = new float[specs.Length][];
        int channels = input[0], height = input[1], width = input[2];
        for (int s = 0; s < specs.Length; s++)
        {
            var spec = specs[s];
            var shape = new Conv2DShape(channels, spec.Filters,
                ConvWindow.Create(height, width, spec.Kernel, spec.Kernel, spec.Stride, spec.Stride, spec.Padding, spec.Dilation, spec.Dilation));
            Assert.True(Conv2DBlocked.Fits(shape, lanes), $"stage {s} ({spec}) at {lanes} lanes");
            weights[s] = RandomFloats(shape.WeightCount, seed + 2 * s, 0.3f);
            biases[s] = RandomFloats(shape.OutChannels, seed + 2 * s + 1);
            ConvWindow? pool = spec.Pool == 0 ? null
                : ConvWindow.Create(shape.Window.OutHeight, shape.Window.OutWidth, spec.Pool, spec.Pool, spec.PoolStride, spec.PoolStride, ConvPadding.Valid);
            stages[s] = new Conv2DBlockedStage(shape, Conv2DPackedWeights.Pack(shape, lanes, weights[s], biases[s]), spec.Kind, 0f, pool);
            (channels, height, width) = (spec.Filters, stages[s].OutHeight, stages[s].OutWidth);
        }
        return (stages, weights, biases);
    }
}
