using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Sparta.Kernels;
using Sparta.Tensors;
using Tensor = Sparta.Tensors.Tensor;

namespace Sparta.Benchmarks;

/// <summary>
/// Sparta's element-wise driver, broadcasting and reductions beside the TensorPrimitives call
/// doing the same work, at the MLP example's activation size (batch 128 × 256 units), in tensors'
/// 64-byte aligned storage as the library uses them.
/// </summary>
[MinColumn, MedianColumn]
public class ElementwiseBenchmarks
{
    private const int Rows = 128, Columns = 256;
    private Tensor _x = null!, _y = null!, _bias = null!, _result = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomGenerator(0);
        _x = Tensor.Zeros(Rows, Columns);
        random.FillUniform(_x.Span, -4, 4);
        _y = Tensor.Zeros(Rows, Columns);
        random.FillUniform(_y.Span, -4, 4);
        _bias = Tensor.Zeros(Columns);
        random.FillUniform(_bias.Span, 0, 1);
        _result = Tensor.Zeros(Rows, Columns);
    }

    [Benchmark] public void ReluSparta() => Elementwise.Map(new ReluOperator(), _x.Span, _result.Span);
    [Benchmark] public void ReluTensorPrimitives() => TensorPrimitives.Max(_x.Span, 0f, _result.Span);

    [Benchmark] public void ReluBackwardSparta() => Elementwise.Map(new ReluBackward(), _x.Span, _y.Span, _result.Span);

    [Benchmark] public void SigmoidSparta() => Elementwise.Map(new SigmoidOperator(), _x.Span, _result.Span);
    [Benchmark] public void SigmoidTensorPrimitives() => TensorPrimitives.Sigmoid(_x.Span, _result.Span);

    [Benchmark] public void MultiplySparta() => Elementwise.Map(new MultiplyOperator(), _x.Span, _y.Span, _result.Span);
    [Benchmark] public void MultiplyTensorPrimitives() => TensorPrimitives.Multiply(_x.Span, _y.Span, _result.Span);

    [Benchmark]
    public void BiasAddBroadcastSparta()
        => ElementwiseBroadcast.Map(new AddOperator(), _x.Span, [Rows, Columns], _bias.Span, [Columns], _result.Span, [Rows, Columns]);

    [Benchmark]
    public void BiasAddRowsTensorPrimitives()
    {
        for (int r = 0; r < Rows; r++)
            TensorPrimitives.Add(_x.Span.Slice(r * Columns, Columns), _bias.Span, _result.Span.Slice(r * Columns, Columns));
    }

    [Benchmark] public float SumSparta() => Reduce.Sum(_x.Span);
    [Benchmark] public float SumTensorPrimitives() => TensorPrimitives.Sum(_x.Span);
}
