using BenchmarkDotNet.Attributes;
using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Benchmarks;

/// <summary>
/// One forward and backward step of the MLP example (784-256-128-10, ReLU, sparse softmax
/// cross-entropy, batch 128, one thread) through the Model and its fused Dense layers (one GEMM and
/// one bias+activation pass each way), beside the same step composed of tape primitives
/// (matmul, broadcast add, relu). Decides whether the fused op earns its place.
/// </summary>
[MinColumn, MedianColumn]
public class DenseLayerBenchmarks
{
    private const int Batch = 128;
    private Model _model = null!;
    private Tensor _x = null!, _labels = null!;
    private readonly SparseCategoricalCrossEntropy _loss = new();

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.ThreadCount = 1;
        _model = new Sequential([784], [new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], seed: 0);
        _x = Tensor.Zeros(Batch, 784);
        new RandomGenerator(1).FillNormal(_x.Span, 0, 1);
        _labels = Tensor.Zeros(Batch);
        for (int i = 0; i < Batch; i++) _labels.Span[i] = i % 10;
    }

    [Benchmark(Baseline = true)]
    public float FusedDenseLayers()
    {
        ZeroGrad();
        var loss = _loss.Compute(_model.Forward(_x, training: true), _labels);
        loss.Backward();
        return loss.Item();
    }

    [Benchmark]
    public float ComposedPrimitives()
    {
        ZeroGrad();
        var h = _x;
        for (int l = 0; l < 3; l++)
        {
            var dense = (Dense)_model.Layers[l];
            h = h.MatMul(dense.Kernel.Value) + dense.Bias!.Value;
            if (l < 2) h = h.Relu();
        }
        var loss = _loss.Compute(h, _labels);
        loss.Backward();
        return loss.Item();
    }

    private void ZeroGrad()
    {
        foreach (var p in _model.Parameters) p.ZeroGrad();
    }
}
