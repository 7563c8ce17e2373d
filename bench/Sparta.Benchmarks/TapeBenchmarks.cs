using BenchmarkDotNet.Attributes;
using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Benchmarks;

/// <summary>
/// The cost of the tape: one forward and backward step of the MLP example (784-256-128-10, ReLU,
/// softmax cross-entropy, batch 128) through recorded ops, beside the same arithmetic written by
/// hand over buffers allocated once. One thread, as the project's other single-thread figures.
/// </summary>
[MinColumn, MedianColumn]
public class TapeBenchmarks
{
    private const int Batch = 128;
    private static readonly int[] Widths = [784, 256, 128, 10];
    private readonly Tensor[] _weights = new Tensor[3], _biases = new Tensor[3];
    private Tensor _x = null!, _targets = null!;
    private int[] _labels = [];

    // Buffers of the hand-written step.
    private readonly Tensor[] _activations = new Tensor[4], _deltas = new Tensor[4], _weightGrads = new Tensor[3], _biasGrads = new Tensor[3];
    private Tensor _rowMax = null!, _rowSum = null!;

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.ThreadCount = 1;
        var random = new RandomGenerator(0);
        for (int l = 0; l < 3; l++)
        {
            _weights[l] = Tensor.Zeros(Widths[l], Widths[l + 1]);
            random.FillNormal(_weights[l].Span, 0, Math.Sqrt(2.0 / Widths[l]));
            _weights[l].RequiresGrad = true;
            _biases[l] = Tensor.Zeros(Widths[l + 1]);
            _biases[l].RequiresGrad = true;
            _weightGrads[l] = Tensor.Zeros(Widths[l], Widths[l + 1]);
            _biasGrads[l] = Tensor.Zeros(Widths[l + 1]);
        }
        _x = Tensor.Zeros(Batch, Widths[0]);
        random.FillNormal(_x.Span, 0, 1);
        _labels = Enumerable.Range(0, Batch).Select(i => i % 10).ToArray();
        _targets = Tensor.Zeros(Batch, 10);
        for (int i = 0; i < Batch; i++) _targets.Span[i * 10 + _labels[i]] = 1f;
        for (int l = 0; l < 4; l++)
        {
            _activations[l] = l == 0 ? _x : Tensor.Zeros(Batch, Widths[l]);
            _deltas[l] = Tensor.Zeros(Batch, Widths[l]);
        }
        _rowMax = Tensor.Zeros(Batch, 1);
        _rowSum = Tensor.Zeros(Batch, 1);
    }

    [Benchmark]
    public void StepOnTape()
    {
        var h = _x;
        for (int l = 0; l < 3; l++)
        {
            h = h.MatMul(_weights[l]) + _biases[l];
            if (l < 2) h = h.Relu();
        }
        Ops.SoftmaxCrossEntropy(h, _labels).Backward();
        for (int l = 0; l < 3; l++) { _weights[l].ZeroGrad(); _biases[l].ZeroGrad(); }
    }

    [Benchmark(Baseline = true)]
    public void StepByHand()
    {
        for (int l = 0; l < 3; l++)
        {
            TensorMath.MatMul(_activations[l], _weights[l], result: _activations[l + 1]);
            TensorMath.Add(_activations[l + 1], _biases[l], _activations[l + 1]);
            if (l < 2) TensorMath.Relu(_activations[l + 1], _activations[l + 1]);
        }
        // d loss / d logits = (softmax − targets) / batch
        var logits = _activations[3];
        var delta = _deltas[3];
        TensorMath.Max(logits, 1, keepDims: true, result: _rowMax);
        TensorMath.Subtract(logits, _rowMax, delta);
        TensorMath.Exp(delta, delta);
        TensorMath.Sum(delta, 1, keepDims: true, result: _rowSum);
        TensorMath.Divide(delta, _rowSum, delta);
        TensorMath.Subtract(delta, _targets, delta);
        TensorMath.Multiply(delta, 1f / Batch, delta);
        for (int l = 2; l >= 0; l--)
        {
            TensorMath.MatMul(_activations[l], _deltas[l + 1], transposeA: true, result: _weightGrads[l]);
            TensorMath.Sum(_deltas[l + 1], 0, result: _biasGrads[l]);
            if (l == 0) break;
            TensorMath.MatMul(_deltas[l + 1], _weights[l], transposeB: true, result: _deltas[l]);
            TensorMath.Map("relu_backward", new ReluBackward(), _activations[l], _deltas[l], _deltas[l]);
        }
    }
}
