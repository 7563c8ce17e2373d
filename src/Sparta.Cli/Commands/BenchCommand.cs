using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Cli.Commands;

/// <summary><c>sparta bench gemm --size N --threads T</c>: best-of-several timing after warm-up.</summary>
public sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "measure kernels: bench gemm --size N --threads T [--variant nn|tn|nt|tt] [--m M --n N --k K] [--repeats R] [--clock wall|cpu]; bench optimizer --name adam [--steps S] [--repeats R]";

    public int Run(Arguments args, TextWriter output)
    {
        string what = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("which benchmark? expected 'gemm' or 'optimizer'");
        return what switch
        {
            "gemm" => RunGemm(args, output),
            "conv" => ConvBenchmark.Run(args, output),
            "data" => DataBenchmark.Run(args, output),
            "optimizer" => OptimizerBenchmark.Run(args, output),
            "train" => TrainBenchmark.Run(args, output),
            _ => throw new UsageException($"unknown benchmark '{what}' (known: gemm, conv, data, optimizer)"),
        };
    }

    /// <summary>Square by default; --m/--n/--k measure the shapes of a training step (op(A) m×k, op(B) k×n).</summary>
    private static int RunGemm(Arguments args, TextWriter output)
    {
        int size = args.Int("size", 1024, 1, 16384);
        int m = args.Int("m", size, 1, 65536), n = args.Int("n", size, 1, 65536), k = args.Int("k", size, 1, 65536);
        int threads = args.Int("threads", Environment.ProcessorCount, 1, 1024);
        int repeats = args.Int("repeats", 7, 1, 1000);
        string variant = args.String("variant") ?? "nn";
        string clock = args.String("clock") ?? "wall";
        args.RejectUnknown("bench gemm");
        // CPU time ignores the time slices other processes take on a shared machine; it sums over
        // threads, so it only measures speed for one thread.
        Func<double> now = clock switch
        {
            "wall" => () => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency,
            "cpu" when threads == 1 && OperatingSystem.IsLinux() => ProcessCpuSeconds,
            "cpu" when threads == 1 => throw new UsageException("option --clock cpu is available on Linux only"),
            "cpu" => throw new UsageException($"option --clock cpu measures one thread only, got --threads {threads}"),
            _ => throw new UsageException($"option --clock: expected wall or cpu, got '{clock}'"),
        };
        var (ta, tb) = variant switch
        {
            "nn" => (Transpose.No, Transpose.No),
            "tn" => (Transpose.Yes, Transpose.No),
            "nt" => (Transpose.No, Transpose.Yes),
            "tt" => (Transpose.Yes, Transpose.Yes),
            _ => throw new UsageException($"option --variant: expected nn, tn, nt or tt, got '{variant}'"),
        };
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
