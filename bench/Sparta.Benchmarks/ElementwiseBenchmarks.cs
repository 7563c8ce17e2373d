using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Sparta.Kernels;

namespace Sparta.Benchmarks;

/// <summary>
/// Sparta's element-wise driver, broadcasting and reductions beside the TensorPrimitives call
/// doing the same work, at the MLP example's activation size (batch 128 × 256 units).
/// </summary>
public class ElementwiseBenchmarks
{
    private const int Rows = 128, Columns = 256;
    private float[] _x = [], _y = [], _bias = [], _result = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0);
        _x = Enumerable.Range(0, Rows * Columns).Select(_ => random.NextSingle() * 8 - 4).ToArray();
        _y = Enumerable.Range(0, Rows * Columns).Select(_ => random.NextSingle() * 8 - 4).ToArray();
        _bias = Enumerable.Range(0, Columns).Select(_ => random.NextSingle()).ToArray();
        _result = new float[Rows * Columns];
    }

    [Benchmark] public void ReluSparta() => Elementwise.Map(new Relu(), _x, _result);
    [Benchmark] public void ReluTensorPrimitives() => TensorPrimitives.Max(_x, 0f, _result);

    [Benchmark] public void ReluBackwardSparta() => Elementwise.Map(new ReluBackward(), _x, _y, _result);

    [Benchmark] public void SigmoidSparta() => Elementwise.Map(new Sigmoid(), _x, _result);
    [Benchmark] public void SigmoidTensorPrimitives() => TensorPrimitives.Sigmoid(_x, _result);

    [Benchmark] public void MultiplySparta() => Elementwise.Map(new Multiply(), _x, _y, _result);
    [Benchmark] public void MultiplyTensorPrimitives() => TensorPrimitives.Multiply(_x, _y, _result);

    [Benchmark]
    public void BiasAddBroadcastSparta()
        => ElementwiseBroadcast.Map(new Add(), _x, [Rows, Columns], _bias, [Columns], _result, [Rows, Columns]);

    [Benchmark]
    public void BiasAddRowsTensorPrimitives()
    {
        for (int r = 0; r < Rows; r++)
            TensorPrimitives.Add(_x.AsSpan(r * Columns, Columns), _bias, _result.AsSpan(r * Columns, Columns));
    }

    [Benchmark] public float SumSparta() => Reduce.Sum(_x);
    [Benchmark] public float SumTensorPrimitives() => TensorPrimitives.Sum(_x);
}
