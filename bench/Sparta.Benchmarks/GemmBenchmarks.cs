using BenchmarkDotNet.Attributes;
using Sparta.Kernels;

namespace Sparta.Benchmarks;

/// <summary>SGEMM at the sizes the MLP and CNN examples use, and the square sizes compared with OpenBLAS.</summary>
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(256, 1024)]
    public int Size;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0);
        _a = Enumerable.Range(0, Size * Size).Select(_ => random.NextSingle()).ToArray();
        _b = Enumerable.Range(0, Size * Size).Select(_ => random.NextSingle()).ToArray();
        _c = new float[Size * Size];
    }

    [Benchmark]
    public void MultiplyNN() => Gemm.Multiply(Transpose.No, Transpose.No, Size, Size, Size, _a, _b, _c);
}
