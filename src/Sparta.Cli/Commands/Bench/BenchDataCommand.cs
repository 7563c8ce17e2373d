using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Preprocessing;
using Sparta.Tensors;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench data</c>: Fashion-MNIST's training set decoded from its gzipped IDX files,
/// standardized in place (statistics fitted on it, then applied), and one 128-image batch augmented; each
/// timed in-process, median of the repeats, also in process CPU time (which other processes on a
/// shared machine do not inflate).
/// </summary>
public sealed class BenchDataCommand : SpartaCommand
{
    // Timed together so the process CPU clock (coarse, but immune to other processes) resolves them.
    private const int AugmentBatchesPerSample = 10;

    private readonly Option<string> _dataset = OptionFactory.Text("--dataset", "a registered dataset", "fashion-mnist", "NAME");
    private readonly Option<int> _repeats = OptionFactory.Int("--repeats", "timed repeats; the median is printed", 5, 1, 1000);
    private readonly Option<int> _batch = OptionFactory.Int("--batch", "images in the augmented batch", 128, 1, 60000);
    private readonly Option<string> _scope = OptionFactory.Text("--scope", "the standardization's statistics: all, channel or feature", "all", "SCOPE");
    private readonly Option<int> _threads = CommonOptions.Threads();

    public BenchDataCommand() : base("data", "Time loading Fashion-MNIST's training set, standardizing it, and augmenting a batch.",
        "sparta bench data --repeats 5 --threads 2")
    {
        foreach (var option in new Option[] { _dataset, _repeats, _batch, _scope, _threads }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        string dataset = parse.GetValue(_dataset)!, scopeText = parse.GetValue(_scope)!;
        int repeats = parse.GetValue(_repeats), batch = parse.GetValue(_batch), threads = parse.GetValue(_threads);
        StatisticsScope scope;
        try
        {
            scope = StatisticsScopeNames.Parse(scopeText);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"option --scope: {e.Message}");
        }
        Parallelism.ThreadCount = threads;

        var load = new List<double>();
        var fit = new List<double>();
        var transform = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        Dataset? data = null;
        for (int r = 0; r < repeats; r++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            data = DatasetRegistry.Load(dataset, "train");
            load.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            var step = new Standardize(scope);
            start = Stopwatch.GetTimestamp();
            step.Fit(data.Input(DatasetRegistry.InputName));
            fit.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            step.TransformInPlace(data.Input(DatasetRegistry.InputName));
            transform.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds);
        }

        var images = data!.Input(DatasetRegistry.InputName).Slice(0, Math.Min(batch, data.Count));
        var work = Tensor.Uninitialized(images.Shape);
        var augmenter = new ImageAugmenter(new AugmentationConfig
        {
            RotationRange = 10, WidthShiftRange = 0.1, HeightShiftRange = 0.1, ZoomRange = (0.9, 1.1), HorizontalFlip = true,
        }, new RandomGenerator(0));
        var augment = new List<double>();
        var augmentCpu = new List<double>();
        for (int r = 0; r < Math.Max(repeats, 20); r++)
        {
            images.Span.CopyTo(work.Span);
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            for (int k = 0; k < AugmentBatchesPerSample; k++) augmenter.Apply(work);
            augment.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / AugmentBatchesPerSample);
            process.Refresh();
            augmentCpu.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds / AugmentBatchesPerSample);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data {dataset} samples={data.Count} threads={threads} scope={scopeText} load_ms={Median(load):F1} fit_ms={Median(fit):F1} transform_ms={Median(transform):F1} " +
            $"load_standardize_ms={Median(load) + Median(fit) + Median(transform):F1} load_standardize_cpu_ms={Median(cpu):F1} augment_batch={images.Shape[0]} augment_ms={Median(augment):F3} augment_cpu_ms={Median(augmentCpu):F3}"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
