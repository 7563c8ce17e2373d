using BenchmarkDotNet.Attributes;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Benchmarks;

/// <summary>The two convolutions and pools of the Fashion-MNIST CNN on a batch of 128, one thread, pass by pass.</summary>
public class ConvBenchmarks
{
    private const int Batch = 128;
    private readonly Conv2DShape _conv1 = new(1, 32, ConvWindow.Create(28, 28, 3, 3, 1, 1, ConvPadding.Same));
    private readonly Conv2DShape _conv2 = new(32, 64, ConvWindow.Create(14, 14, 3, 3, 1, 1, ConvPadding.Same));
    private readonly ConvWindow _pool1 = ConvWindow.Create(28, 28, 2, 2, 2, 2, ConvPadding.Valid);
    private readonly Conv2DWorkspace _workspace = new();
    private float[] _x1 = [], _w1 = [], _y1 = [], _x2 = [], _w2 = [], _y2 = [], _dw2 = [], _dx2 = [], _p1 = [];
    private int[] _argmax = [];

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.ThreadCount = 1;
        var random = new Random(0);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _x1 = Random(Batch * _conv1.InputSize); _w1 = Random(_conv1.WeightCount); _y1 = new float[Batch * _conv1.OutputSize];
        _x2 = Random(Batch * _conv2.InputSize); _w2 = Random(_conv2.WeightCount); _y2 = Random(Batch * _conv2.OutputSize);
        _dw2 = new float[_w2.Length]; _dx2 = new float[_x2.Length];
        _p1 = new float[Batch * 32 * _pool1.OutPixels]; _argmax = new int[_p1.Length];
    }

    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    [Benchmark]
    public void Conv1Forward() => Conv2DKernel.Forward(_conv1, Batch, _x1, _w1, default, _y1, _workspace);

    [Benchmark]
    public void Conv2Forward() => Conv2DKernel.Forward(_conv2, Batch, _x2, _w2, default, _y2, _workspace);

    [Benchmark]
    public void Conv2BackwardWeights() => Conv2DKernel.BackwardWeights(_conv2, Batch, _x2, _y2, _dw2, default, _workspace);

    [Benchmark]
    public void Conv2BackwardInput() => Conv2DKernel.BackwardInput(_conv2, Batch, _y2, _w2, _dx2, _workspace);

    [Benchmark]
    public void MaxPool1Forward() => Pool2D.MaxForward(_pool1, Batch * 32, _y1, _p1, _argmax);
}
