using BenchmarkDotNet.Attributes;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Benchmarks;

/// <summary>
/// SGEMM on one thread: the square sizes compared with OpenBLAS, and the products of an MLP
/// training step at batch 128 (784-256-128): forward A·B, weight gradients Aᵀ·B, input gradients A·Bᵀ.
/// </summary>
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private Transpose _transA, _transB;
    private int _m, _n, _k;

    /// <summary>variant m×n×k, where op(A) is m×k and op(B) is k×n.</summary>
    [Params("nn 256x256x256", "nn 1024x1024x1024", "tn 1024x1024x1024", "nt 1024x1024x1024",
        "nn 128x256x784", "nn 128x128x256", "tn 784x256x128", "tn 256x128x128", "nt 128x784x256", "nt 128x256x128")]
    public string Shape = "";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split(' ');
        int[] sizes = parts[1].Split('x').Select(int.Parse).ToArray();
        (_m, _n, _k) = (sizes[0], sizes[1], sizes[2]);
        _transA = parts[0][0] == 't' ? Transpose.Yes : Transpose.No;
        _transB = parts[0][1] == 't' ? Transpose.Yes : Transpose.No;
        var random = new RandomGenerator(0);
        _a = new float[_m * _k];
        _b = new float[_k * _n];
        _c = new float[_m * _n];
        random.FillUniform(_a, -1, 1);
        random.FillUniform(_b, -1, 1);
        Parallelism.ThreadCount = 1;
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(_transA, _transB, _m, _n, _k, _a, _b, _c);
}
