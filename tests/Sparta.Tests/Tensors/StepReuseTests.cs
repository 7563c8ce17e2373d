using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Tests.Tensors;

/// <summary>
/// A pooled training step reuses, after the first steps, the objects of the step before: tensors, their buffers'
/// storage objects, shapes and tape nodes. The bytes the stepping thread allocates are deterministic, so the
/// test counts them exactly.
/// </summary>
public class StepReuseTests
{
    private const int Batch = 32;

    /// <summary>
    /// Small enough that no GEMM or update is split between threads whatever the thread count another test sets
    /// (each layer's product is under the split threshold, each parameter under the optimizers' per-thread minimum).
    /// </summary>
    private static Model Mlp() => new Sequential([1, 28, 28], [new Flatten(), new Dense(64, "relu"), new Dense(32, "tanh"), new Dense(10)], seed: 4);

    private static (Tensor Images, Tensor Labels) Data()
    {
        var images = Tensor.Zeros(Batch, 1, 28, 28);
        new RandomGenerator(5).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(Batch);
        for (int i = 0; i < Batch; i++) labels.Span[i] = i % 10;
        return (images, labels);
    }

    /// <summary>One step as the trainer runs it; returns the loss read after backward and the bytes this thread allocated.</summary>
    private static (float Loss, long Bytes) Step(Model model, Optimizer optimizer, Loss loss, TensorPool pool, Tensor images, Tensor labels)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        pool.NextStep();
        optimizer.ZeroGrad();
        var value = loss.Compute(model.Forward(images, training: true), labels);
        pool.Keep(value);
        value.Backward(retainGraph: false);
        optimizer.Step(model.Parameters);
        float read = value.Item();
        return (read, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AStepAfterTheFirstAllocatesNothing()
    {
        var (images, labels) = Data();
        var model = Mlp();
        var optimizer = new Adam(0.001);
        var loss = new SparseCategoricalCrossEntropy();
        var pool = new TensorPool();
        using var _ = pool.Use();
        var bytes = Enumerable.Range(0, 6).Select(_ => Step(model, optimizer, loss, pool, images, labels).Bytes).ToArray();
        Assert.True(bytes[0] > 0, "the first step allocated nothing: the count is not counting");
        Assert.Equal(0, bytes[^1]);
        Assert.Equal(0, bytes[^2]);
    }

    [Fact]
    public void ReusedObjectsGiveTheLossesAndWeightsOfFreshOnes()
    {
        var (images, labels) = Data();
        (float[] Losses, float[][] Weights) Train(TensorPool? pool)
        {
            var model = Mlp();
            var optimizer = new Adam(0.01);
            var loss = new SparseCategoricalCrossEntropy();
            var losses = new float[5];
            for (int step = 0; step < losses.Length; step++)
            {
                if (pool is null)
                {
                    optimizer.ZeroGrad();
                    var value = loss.Compute(model.Forward(images, training: true), labels);
                    value.Backward();
                    optimizer.Step(model.Parameters);
                    losses[step] = value.Item();
                }
                else
                {
                    using var _ = pool.Use();
                    losses[step] = Step(model, optimizer, loss, pool, images, labels).Loss;
                }
            }
            return (losses, model.Parameters.Select(p => p.Value.ToArray()).ToArray());
        }
        var fresh = Train(null);
        var reused = Train(new TensorPool());
        Assert.Equal(fresh.Losses, reused.Losses);
        for (int i = 0; i < fresh.Weights.Length; i++) Assert.Equal(fresh.Weights[i], reused.Weights[i]);
        Assert.True(fresh.Losses[^1] < fresh.Losses[0], $"the loss did not fall: {string.Join(", ", fresh.Losses)}");
    }

    [Fact]
    public void AGraphKeptForASecondBackwardKeepsItsNodes()
    {
        // A backward that keeps the graph releases no node: walking it again adds the same gradients once more.
        var pool = new TensorPool();
        using var _ = pool.Use();
        pool.NextStep();
        var (images, labels) = Data();
        var model = Mlp();
        var value = new SparseCategoricalCrossEntropy().Compute(model.Forward(images, training: true), labels);
        value.Backward();
        var once = model.Parameters.Select(p => p.Value.Grad!.ToArray()).ToArray();
        value.Backward();
        var twice = model.Parameters.Select(p => p.Value.Grad!.ToArray()).ToArray();
        for (int i = 0; i < once.Length; i++)
            for (int j = 0; j < once[i].Length; j++) Assert.Equal(2 * once[i][j], twice[i][j]);
    }

    [Fact]
    public void ShapesOfTheSameDimensionsAreOneObjectEqualToANewOne()
    {
        var shape = Shape.Of([128, 10]);
        Assert.Same(shape, Shape.Of([128, 10]));
        Assert.Equal(new Shape(128, 10), shape);
        Assert.NotEqual(shape, Shape.Of([10, 128]));
        Assert.Same(Shape.Of([3, 4, 5]).With(-1, 10), Shape.Of([3, 4, 10]));
        Assert.Throws<ArgumentException>(() => Shape.Of([2, -1]));
    }
}
