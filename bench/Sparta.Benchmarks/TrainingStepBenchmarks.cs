using BenchmarkDotNet.Attributes;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Benchmarks;

/// <summary>
/// One whole training step of each example, as the trainer runs it (zero the gradients, forward,
/// loss, backward, Adam's update) with a <see cref="TensorPool"/> in use as in the trainer's fit, on one
/// and two threads, batch 128, with BenchmarkDotNet's memory diagnoser: the bytes a step allocates once
/// the first steps are behind it (on two threads, the worker team's calls included). ResNet-18 steps on
/// 32×32 images, batch 16: its 224×224 input would take seconds a step here, and a step records the same ops
/// at any image size.
/// </summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class TrainingStepBenchmarks
{
    private const int Batch = 128;
    private readonly SparseCategoricalCrossEntropy _loss = new();
    private const int ResNetBatch = 16;
    private Model _mlp = null!, _cnn = null!, _resNet = null!;
    private Adam _mlpOptimizer = null!, _cnnOptimizer = null!, _resNetOptimizer = null!;
    private Tensor _images = null!, _flatImages = null!, _labels = null!, _colourImages = null!, _resNetLabels = null!;
    private readonly TensorPool _mlpPool = new(), _cnnPool = new(), _resNetPool = new();

    [Params(1, 2)] public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.ThreadCount = Threads;
        _mlp = new Sequential([784], [new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], seed: 0);
        _cnn = new Sequential([1, 28, 28],
        [
            new Conv2D(32, 3, "relu", padding: "same"), new MaxPool2D(2),
            new Conv2D(64, 3, "relu", padding: "same"), new MaxPool2D(2),
            new Flatten(), new Dense(128, "relu"), new Dense(10),
        ], seed: 0);
        _mlpOptimizer = new Adam(0.001);
        _cnnOptimizer = new Adam(0.001);
        _images = Tensor.Zeros(Batch, 1, 28, 28);
        new RandomGenerator(1).FillNormal(_images.Span, 0, 1);
        _flatImages = _images.Reshape(Batch, 784);
        _labels = Tensor.Zeros(Batch);
        for (int i = 0; i < Batch; i++) _labels.Span[i] = i % 10;
        _resNet = Zoo.ResNet18([3, 32, 32], classes: 10);
        _resNetOptimizer = new Adam(0.001);
        _colourImages = Tensor.Zeros(ResNetBatch, 3, 32, 32);
        new RandomGenerator(2).FillNormal(_colourImages.Span, 0, 1);
        _resNetLabels = _labels.Slice(0, ResNetBatch).Detach();
    }

    [Benchmark] public float MlpStep() => Step(_mlp, _mlpOptimizer, _mlpPool, _flatImages);

    [Benchmark] public float CnnStep() => Step(_cnn, _cnnOptimizer, _cnnPool, _images);

    [Benchmark] public float ResNet18Step() => Step(_resNet, _resNetOptimizer, _resNetPool, _colourImages, _resNetLabels);

    private float Step(Model model, Adam optimizer, TensorPool pool, Tensor inputs, Tensor? labels = null)
    {
        using var _ = pool.Use();
        pool.NextStep();
        optimizer.ZeroGrad();
        var loss = _loss.Compute(model.Forward(inputs, training: true), labels ?? _labels);
        pool.Keep(loss);
        loss.Backward(retainGraph: false);
        optimizer.Step(model.Parameters);
        return loss.Item();
    }
}
