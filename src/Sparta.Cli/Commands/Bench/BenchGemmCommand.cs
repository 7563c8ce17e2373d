using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Cli.Commands;

/// <summary>
/// <c>sparta bench gemm --size N --threads T</c>: best-of-several timing of a matrix product after
/// warm-up; square by default, --m/--n/--k measure the shapes of a training step (op(A) m×k, op(B) k×n).
/// </summary>
public sealed class BenchGemmCommand : SpartaCommand
{
    private readonly Option<int> _size = OptionFactory.Int("--size", "m = n = k of a square product", 1024, 1, 16384);
    private readonly Option<int?> _m = OptionFactory.OptionalInt("--m", "rows of op(A) (default: --size)", 1, 65536);
    private readonly Option<int?> _n = OptionFactory.OptionalInt("--n", "columns of op(B) (default: --size)", 1, 65536);
    private readonly Option<int?> _k = OptionFactory.OptionalInt("--k", "the inner dimension (default: --size)", 1, 65536);
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<int> _repeats = OptionFactory.Int("--repeats", "timed repeats; the best is printed", 7, 1, 1000);
    private readonly Option<string> _variant = OptionFactory.Choice("--variant", "which operands are transposed", "nn", "nn", "tn", "nt", "tt");
    private readonly Option<string> _clock = OptionFactory.Choice("--clock", "wall time, or process CPU time (one thread, Linux)", "wall", "wall", "cpu");

    public BenchGemmCommand() : base("gemm", "Time a matrix product (GFLOP/s, best of the repeats).",
        "sparta bench gemm --size 1024 --threads 2",
        "sparta bench gemm --m 128 --n 256 --k 784 --variant nt --threads 1 --clock cpu")
    {
        foreach (var option in new Option[] { _size, _m, _n, _k, _threads, _repeats, _variant, _clock }) Add(option);
    }

    protected override int Execute(ParseResult parse, TextWriter output)
    {
        int size = parse.GetValue(_size);
        int m = parse.GetValue(_m) ?? size, n = parse.GetValue(_n) ?? size, k = parse.GetValue(_k) ?? size;
        int threads = parse.GetValue(_threads), repeats = parse.GetValue(_repeats);
        string variant = parse.GetValue(_variant)!, clock = parse.GetValue(_clock)!;
        // CPU time ignores the time slices other processes take on a shared machine; it sums over
        // threads, so it only measures speed for one thread.
        Func<double> now = clock switch
        {
            "cpu" when threads != 1 => throw new UsageException($"option --clock cpu measures one thread only, got --threads {threads}"),
            "cpu" when !OperatingSystem.IsLinux() => throw new UsageException("option --clock cpu is available on Linux only"),
            "cpu" => ProcessCpuSeconds,
            _ => () => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency,
        };
        var (ta, tb) = (variant[0] == 't' ? Transpose.Yes : Transpose.No, variant[1] == 't' ? Transpose.Yes : Transpose.No);
        Parallelism.ThreadCount = threads;
        var random = new RandomGenerator(0);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        random.FillUniform(a, -1, 1);
        random.FillUniform(b, -1, 1);

        // Small shapes take microseconds: time batches of calls lasting about 20 ms each.
        Gemm.Multiply(ta, tb, m, n, k, a, b, c);
        double warmStart = now();
        int calls = 0;
        while (now() - warmStart < 0.02)
        {
            Gemm.Multiply(ta, tb, m, n, k, a, b, c);
            calls++;
        }
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            double start = now();
            for (int call = 0; call < calls; call++)
                Gemm.Multiply(ta, tb, m, n, k, a, b, c);
            best = Math.Min(best, (now() - start) / calls);
        }
        double gflops = 2.0 * m * n * (double)k / best / 1e9;
        string shape = m == n && n == k ? $"{m}" : $"{m}x{n}x{k}";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gemm size={shape} threads={threads} gflops={gflops:F1} variant={variant}{(clock == "cpu" ? " clock=cpu" : "")}"));
        return 0;
    }

    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>CPU time of this process with nanosecond resolution (the portable APIs count 10 ms ticks).</summary>
    private static double ProcessCpuSeconds()
    {
        const int ProcessCpuTimeClock = 2; // CLOCK_PROCESS_CPUTIME_ID
        ClockGetTime(ProcessCpuTimeClock, out var time);
        return time.Seconds + time.Nanoseconds * 1e-9;
    }
}
