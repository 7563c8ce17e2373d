using System.Diagnostics;
using System.Globalization;
using Sparta.Kernels;

namespace Sparta.Cli.Commands;

/// <summary><c>sparta bench gemm --size N --threads T</c>: best-of-several timing after warm-up.</summary>
public sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "measure kernels: bench gemm --size N --threads T [--variant nn|tn|nt] [--repeats R]";

    public int Run(Arguments args, TextWriter output)
    {
        string what = args.Positional.Count > 0 ? args.Positional[0] : throw new UsageException("which benchmark? expected 'gemm'");
        return what switch
        {
            "gemm" => RunGemm(args, output),
            "data" => DataBenchmark.Run(args, output),
            _ => throw new UsageException($"unknown benchmark '{what}' (known: gemm)"),
        };
    }

    private static int RunGemm(Arguments args, TextWriter output)
    {
        int size = args.Int("size", 1024, 1, 16384);
        int threads = args.Int("threads", Environment.ProcessorCount, 1, 1024);
        int repeats = args.Int("repeats", 7, 1, 1000);
        string variant = args.String("variant") ?? "nn";
        args.RejectUnknown("bench gemm");
        var (ta, tb) = variant switch
        {
            "nn" => (Transpose.No, Transpose.No),
            "tn" => (Transpose.Yes, Transpose.No),
            "nt" => (Transpose.No, Transpose.Yes),
            _ => throw new UsageException($"option --variant: expected nn, tn or nt, got '{variant}'"),
        };
        Parallelism.ThreadCount = threads;
        var random = new Random(0);
        float[] a = Enumerable.Range(0, size * size).Select(_ => random.NextSingle()).ToArray();
        float[] b = Enumerable.Range(0, size * size).Select(_ => random.NextSingle()).ToArray();
        float[] c = new float[size * size];
        Gemm.Multiply(ta, tb, size, size, size, a, b, c);
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            Gemm.Multiply(ta, tb, size, size, size, a, b, c);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        double gflops = 2.0 * size * size * (double)size / best / 1e9;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gemm size={size} threads={threads} variant={variant} gflops={gflops:F1}"));
        return 0;
    }
}
