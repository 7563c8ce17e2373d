using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparta.Configuration;
using Sparta.Data;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench zoo resnet18 --batch 32 --side 64 --threads 1 --steps 3</c>: training steps of a zoo
/// model (SGD with momentum 0.9 on cross-entropy, 10 classes, one batch of random 3-channel images, an
/// epoch a step), as bench/peer_zoo.py times PyTorch's: the first step is a warm-up, the others are timed, and the line
/// gives seconds and CPU seconds a step, samples a second and the process's peak resident memory. A second line gives the
/// bytes the stepping thread allocated in step 1, in step 2 and at most in any later step, each step counted from its
/// start to its end as the trainer runs it (the batch's loading, and an epoch's start and end, are not in it).
/// </summary>
public sealed class BenchZooCommand : SpartaCommand
{
    private const int Classes = 10;

    private readonly Argument<string> _model = OptionFactory.ChoiceArgument("MODEL", "the zoo model to train", [.. ZooRegistry.Registry.Names]);
    private readonly Option<int> _batch = OptionFactory.Int("--batch", "samples a step", 32, 1, 4096);
    private readonly Option<int> _side = OptionFactory.Int("--side", "image height and width", 64, 1, 4096);
    private readonly Option<int> _steps = OptionFactory.Int("--steps", "timed steps after the warm-up step", 3, 1, 10000);
    private readonly Option<int> _threads = CommonOptions.Threads(1);

    public BenchZooCommand() : base("zoo", "Time training steps of a zoo model and print the PyTorch peer's line (bench/peer_zoo.py).",
        "sparta bench zoo resnet18 --batch 32 --side 64 --threads 1",
        "sparta bench zoo inception_v4 --batch 32 --side 299 --steps 2")
    {
        Add(_model);
        Add(_batch);
        Add(_side);
        Add(_steps);
        Add(_threads);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string name = parse.GetValue(_model)!;
        int batch = parse.GetValue(_batch), side = parse.GetValue(_side), steps = parse.GetValue(_steps), threads = parse.GetValue(_threads);
        Parallelism.ThreadCount = threads;
        var model = ZooRegistry.Create(new ComponentConfig(name, [new("classes", (double)Classes)]))([3, side, side], name, 0);
        var random = new RandomGenerator(0);
        // One batch, trained on once an epoch, as the peer trains on one batch: the data held does not grow with the steps.
        var images = Tensor.Zeros(batch, 3, side, side);
        var span = images.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)random.Normal();
        var labels = Enumerable.Range(0, images.Shape[0]).Select(i => i % Classes).ToArray();
        var data = Dataset.Classification([(Zoo.ImageInputName, images)], labels, Classes);
        var timer = new StepTimer();
        var bytes = new StepBytes();
        model.Compile(new Sgd(0.01, momentum: 0.9), "sparse_categorical_crossentropy")
            .Fit(data, steps + 1, batch, shuffle: false, verbose: false, callbacks: [bytes, timer]);
        double seconds = timer.Wall / steps, cpu = timer.Cpu / steps;
        double peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} batch {batch} {side}x{side} threads {threads}: {seconds:F3} s/step, {cpu:F3} cpu s/step, {batch / seconds:F1} samples/s, peak RSS {peakMiB:F0} MiB"));
        var later = bytes.Steps.Skip(2).ToArray();
        string laterSteps = later.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", steps 3-{bytes.Steps.Count} at most {later.Max():N0} a step");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bytes allocated on the stepping thread: step 1 {bytes.Steps[0]:N0}, step 2 {bytes.Steps[1]:N0}{laterSteps}"));
        return 0;
    }

    /// <summary>The bytes this thread allocated in each step, from the batch's begin to its end.</summary>
    private sealed class StepBytes : Callback
    {
        private long _start;

        public List<long> Steps { get; } = [];

        public override void OnBatchBegin(Trainer trainer, int batch) => _start = GC.GetAllocatedBytesForCurrentThread();

        public override void OnBatchEnd(Trainer trainer, int batch, double loss) => Steps.Add(GC.GetAllocatedBytesForCurrentThread() - _start);
    }

    /// <summary>Wall and process CPU seconds of every step after the first (steps counted across epochs).</summary>
    private sealed class StepTimer : Callback
    {
        private long _start;
        private TimeSpan _cpuStart;
        private int _steps;

        public double Wall { get; private set; }
        public double Cpu { get; private set; }

        public override void OnBatchEnd(Trainer trainer, int batch, double loss)
        {
            if (_steps++ > 0)
            {
                Wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
                Cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
                return;
            }
            _start = Stopwatch.GetTimestamp();
            _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        }
    }
}
