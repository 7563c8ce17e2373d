using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Training;

/// <summary>
/// The examples' own sizes, where work is actually shared between threads (the first dense layer's
/// GEMMs, Adam over its 200,704 weights, max pooling's planes): the weights after a few pooled steps
/// are bit-identical for 1, 2 and 3 threads.
/// </summary>
public class ThreadCountTests
{
    private const int Batch = 128;

    public static TheoryData<string> Examples => ["mlp", "cnn"];

    private static Model Build(string example) => example == "mlp"
        ? new Sequential([784], [new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], seed: 3)
        : new Sequential([1, 28, 28],
        [
            new Conv2D(16, 3, "relu", padding: "same"), new MaxPool2D(2),
            new Conv2D(16, 3, "relu", padding: "same"), new MaxPool2D(2),
            new Flatten(), new Dense(128, "relu"), new Dense(10),
        ], seed: 3);

    /// <summary>The example's weights after three pooled steps on <paramref name="threads"/> threads.</summary>
    internal static float[][] Train(string example, int threads)
    {
        using var threadCount = Parallelism.Scope(threads);
        var model = Build(example);
        var images = Tensor.Zeros(example == "mlp" ? [Batch, 784] : [Batch, 1, 28, 28]);
        new RandomGenerator(7).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(Batch);
        for (int i = 0; i < Batch; i++) labels.Span[i] = i * 7 % 10;
        return PooledSteps.Train(model, images, labels, steps: 3);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void TheExamplesTrainToTheSameBitsOnAnyThreadCount(string example)
    {
        var one = Train(example, 1);
        var initial = Build(example).Parameters.Select(p => p.Value.ToArray()).ToArray();
        Assert.NotEqual(initial[0], one[0]);
        foreach (int threads in new[] { 2, 3 })
        {
            var other = Train(example, threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], other[i]);
        }
    }
}
