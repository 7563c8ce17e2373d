using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench conv --batch B --threads T [--repeats R]</c>: one forward and backward pass of the
/// convolutional part of the Fashion-MNIST CNN (conv 32 3x3 same + bias + ReLU, max pool 2, conv 64
/// 3x3 same + bias + ReLU, max pool 2) on a batch, as a training step runs it: bias and ReLU fused into
/// the convolution's output pass, their gradient in one pass, no input gradient for the first layer. Prints the time of each stage (median), then one line with the median time per
/// batch, the samples per second it implies, and the mean processor time per batch. With <c>--pooled</c> each convolution and its
/// max pooling run as the one op a training step makes of them (<see cref="Conv2DKernel.ForwardPooled"/>, <see cref="Conv2DKernel.BackwardPooled"/>).
/// </summary>
public sealed class BenchConvCommand : SpartaCommand
{
    private sealed record Stage(string Name, Action Run);

    private readonly Option<int> _batch = OptionFactory.Int("--batch", "images per batch", 128, 1, 4096);
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<int> _repeats = OptionFactory.Int("--repeats", "timed passes; the median is printed", 20, 1, 10000);
    private readonly Option<bool> _pooled = new("--pooled") { Description = "each convolution and its max pooling as one op, as a training step runs them" };

    public BenchConvCommand() : base("conv", "Time a forward and backward pass of the Fashion-MNIST CNN's convolutional layers, stage by stage.",
        "sparta bench conv --batch 128 --threads 2")
    {
        Add(_batch);
        Add(_threads);
        Add(_repeats);
        Add(_pooled);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        int batch = parse.GetValue(_batch), threads = parse.GetValue(_threads), repeats = parse.GetValue(_repeats);
        Parallelism.ThreadCount = threads;

        var conv1 = new Conv2DShape(1, 32, ConvWindow.Create(28, 28, 3, 3, 1, 1, ConvPadding.Same));
        var pool1 = ConvWindow.Create(28, 28, 2, 2, 2, 2, ConvPadding.Valid);
        var conv2 = new Conv2DShape(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
        var pool2 = ConvWindow.Create(14, 14, 2, 2, 2, 2, ConvPadding.Valid);
        var random = new RandomGenerator(0);
        var x = Buffer(batch * conv1.InputSize, random, 1f);
        var w1 = Buffer(conv1.WeightCount, random, 0.3f);
        var b1 = Buffer(32, random, 0.1f);
        var w2 = Buffer(conv2.WeightCount, random, 0.06f);
        var b2 = Buffer(64, random, 0.1f);
        var y1 = Buffer(batch * conv1.OutputSize);
        var p1 = Buffer(batch * conv2.InputSize);
        var y2 = Buffer(batch * conv2.OutputSize);
        var p2 = Buffer(batch * 64 * pool2.OutPixels);
        var dp2 = Buffer(p2.Length, random, 0.01f);
        var dy2 = Buffer(y2.Length);
        var dp1 = Buffer(p1.Length);
        var dy1 = Buffer(y1.Length);
        var dw1 = Buffer(w1.Length);
        var db1 = Buffer(32);
        var dw2 = Buffer(w2.Length);
        var db2 = Buffer(64);
        var arg1 = new int[p1.Length];
        var arg2 = new int[p2.Length];
        using var workspace1 = new Conv2DWorkspace();
        using var workspace2 = new Conv2DWorkspace();

        var stages = parse.GetValue(_pooled) ? [] : new Stage[]
        {
            new("conv1 forward", () => Conv2DKernel.Forward(conv1, batch, x.Span, w1.Span, b1.Span, y1.Span, workspace1, BiasActivationKind.Relu)),
            new("pool1 forward", () => Pool2D.MaxForward(pool1, batch * 32, y1.Span, p1.Span, arg1)),
            new("conv2 forward", () => Conv2DKernel.Forward(conv2, batch, p1.Span, w2.Span, b2.Span, y2.Span, workspace2, BiasActivationKind.Relu)),
            new("pool2 forward", () => Pool2D.MaxForward(pool2, batch * 64, y2.Span, p2.Span, arg2)),
            new("pool2 backward", () => Pool2D.MaxBackward(pool2, batch * 64, dp2.Span, arg2, dy2.Span)),
            new("relu2 backward", () => BiasActivation.Backward(BiasActivationKind.Relu, 0, batch, 64, conv2.Window.OutPixels, y2.Span, dy2.Span, dy2.Span, db2.Span)),
            new("conv2 backward", () => Conv2DKernel.Backward(conv2, batch, p1.Span, dy2.Span, w2.Span, dp1.Span, dw2.Span, default, workspace2)),
            new("pool1 backward", () => Pool2D.MaxBackward(pool1, batch * 32, dp1.Span, arg1, dy1.Span)),
            new("relu1 backward", () => BiasActivation.Backward(BiasActivationKind.Relu, 0, batch, 32, conv1.Window.OutPixels, y1.Span, dy1.Span, dy1.Span, db1.Span)),
            new("conv1 weights", () => Conv2DKernel.BackwardWeights(conv1, batch, x.Span, dy1.Span, dw1.Span, default, workspace1)),
        };

        if (parse.GetValue(_pooled))
        {
            int lanes1 = Conv2DKernel.PooledLanes(conv1, pool1, input: false), lanes2 = Conv2DKernel.PooledLanes(conv2, pool2, input: true);
            if (lanes1 == 0 || lanes2 == 0) throw new UsageException("--pooled: this processor's kernels do not run the CNN's convolutions pooled as one op");
            var packed1 = Conv2DPackedWeights.Pack(conv1, lanes1, w1.Span, b1.Span);
            var packed2 = Conv2DPackedWeights.Pack(conv2, lanes2, w2.Span, b2.Span);
            var cells1 = Buffer(batch * Conv2DKernel.PooledCellsLength(conv1, pool1, lanes1));
            var cells2 = Buffer(batch * Conv2DKernel.PooledCellsLength(conv2, pool2, lanes2));
            stages =
            [
                new("conv1+pool1 fwd", () => Conv2DKernel.ForwardPooled(conv1, pool1, batch, x.Span, packed1, p1.Span, cells1.Span, workspace1)),
                new("conv2+pool2 fwd", () => Conv2DKernel.ForwardPooled(conv2, pool2, batch, p1.Span, packed2, p2.Span, cells2.Span, workspace2)),
                new("conv2+pool2 bwd", () => Conv2DKernel.BackwardPooled(conv2, pool2, lanes2, batch, p1.Span, dp2.Span, p2.Span, cells2.Span, w2.Span,
                    dp1.Span, dw2.Span, db2.Span, workspace2)),
                new("conv1+pool1 bwd", () => Conv2DKernel.BackwardPooled(conv1, pool1, lanes1, batch, x.Span, dp1.Span, p1.Span, cells1.Span, w1.Span,
                    default, dw1.Span, db1.Span, workspace1)),
            ];
        }

        foreach (var stage in stages) stage.Run(); // warm-up: JIT and workspace growth
        var times = new double[stages.Length][];
        var totals = new double[repeats];
        for (int s = 0; s < stages.Length; s++) times[s] = new double[repeats];
        // Processor time as well as wall time: on a shared machine the wall clock also counts the waits for a core.
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        for (int r = 0; r < repeats; r++)
        {
            for (int s = 0; s < stages.Length; s++)
            {
                long start = Stopwatch.GetTimestamp();
                stages[s].Run();
                times[s][r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                totals[r] += times[s][r];
            }
        }
        for (int s = 0; s < stages.Length; s++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stages[s].Name,-15} {Median(times[s]),8:F3} ms"));
        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpuStart).TotalMilliseconds / repeats;
        double ms = Median(totals);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conv batch={batch} threads={threads} ms_per_batch={ms:F2} samples_per_s={batch / ms * 1000:F0} cpu_ms_per_batch={cpuMs:F2}"));
        return 0;
    }

    private static TensorStorage Buffer(int length, RandomGenerator? random = null, float scale = 0f)
    {
        var storage = new TensorStorage(length);
        random?.FillNormal(storage.Span, 0, scale);
        return storage;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
