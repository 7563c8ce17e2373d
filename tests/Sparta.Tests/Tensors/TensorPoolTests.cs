using Sparta.Activations;
using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Tests.Tensors;

public class TensorPoolTests
{
    private const int Batch = 8, Classes = 3;

    /// <summary>
    /// A small network with what the zoo's memory depends on: a tensor feeding four ops (gradients summed),
    /// fused batch norm + ReLU, a concatenation, a residual add, zero padding, pooling and a reshape, and
    /// outputs only a concatenation or an average reads (a batch norm's, a max pool's, an inner concatenation's,
    /// a convolution's), which a pooled step gives back during forward. Its activations (8 × 8 × 16 × 16 floats) are large enough to be pooled.
    /// </summary>
    private static Model MultiBranch()
    {
        var image = Model.Input([3, 16, 16], "image");
        var x = new BatchNormalization(activation: new Relu()).Call(new Conv2D(8, 3, padding: "same", useBias: false).Call(image));
        var a = new Conv2D(4, 1, "relu").Call(x);
        var b = new Conv2D(4, 1).Call(new AveragePooling2D(3, 1, "same").Call(x));
        var c = new BatchNormalization(activation: new Relu()).Call(new Conv2D(4, 1, useBias: false).Call(x));
        var averaged = new AveragePooling2D(3, 1, "same").Call(new Conv2D(4, 1, useBias: false).Call(x));
        var inner = new Concatenate(axis: 1).Call(c, new MaxPool2D(3, 1, "same").Call(a), new BatchNormalization(activation: new Relu()).Call(averaged));
        var joined = new Concatenate(axis: 1).Call(a, b, x, inner);
        var summed = new Add().Call(joined, new Conv2D(28, 1).Call(x));
        var padded = new ZeroPadding2D(1).Call(new MaxPool2D(2).Call(summed));
        var features = new GlobalAveragePooling2D().Call(new Conv2D(6, 3).Call(padded));
        return new Model(image, new Dense(Classes).Call(features), "multi_branch", seed: 11);
    }

    private static (Tensor Images, Tensor Labels) Batches(int steps)
    {
        var random = new RandomGenerator(5);
        var images = Tensor.Zeros(steps * Batch, 3, 16, 16);
        random.FillUniform(images.Span, -1, 1);
        var labels = Tensor.Zeros(steps * Batch);
        for (int i = 0; i < labels.Size; i++) labels.Span[i] = i % Classes;
        return (images, labels);
    }

    /// <summary>
    /// SGD steps written out: forward, loss, backward that frees the graph, update; with a pool in use when
    /// given, as the trainer does. Returns the final weights and, a step, the predictions read after backward
    /// beside a copy taken before it and the pool's allocations after the step.
    /// </summary>
    private static (float[][] Weights, List<(float[] Before, float[] After)> Predictions, List<long> Allocations) Train(TensorPool? pool, int steps)
    {
        var model = MultiBranch();
        var (images, labels) = Batches(steps);
        var optimizer = new Sgd(0.05, momentum: 0.9);
        var loss = new SparseCategoricalCrossEntropy();
        var predictionsSeen = new List<(float[], float[])>();
        var allocations = new List<long>();
        using (pool is null ? null : new PoolScope(pool))
        {
            for (int step = 0; step < steps; step++)
            {
                pool?.NextStep();
                optimizer.ZeroGrad();
                var predictions = model.Forward(images.Slice(step * Batch, Batch).Detach(), training: true);
                var value = loss.Compute(predictions, labels.Slice(step * Batch, Batch).Detach());
                var before = predictions.ToArray();
                pool?.Keep(predictions);
                value.Backward(retainGraph: false);
                optimizer.Step(model.Parameters);
                predictionsSeen.Add((before, predictions.ToArray()));
                allocations.Add(pool?.Allocations ?? 0);
            }
        }
        return (model.Parameters.Select(p => p.Value.ToArray()).ToArray(), predictionsSeen, allocations);
    }

    private sealed class PoolScope(TensorPool pool) : IDisposable
    {
        private readonly TensorPool.Scope _scope = pool.Use();
        public void Dispose() => _scope.Dispose();
    }

    [Fact]
    public void PooledStepsGiveTheSameWeightsAndReuseBuffers()
    {
        var plain = Train(null, 5);
        var pool = new TensorPool();
        var pooled = Train(pool, 5);
        for (int i = 0; i < plain.Weights.Length; i++) Assert.Equal(plain.Weights[i], pooled.Weights[i]);
        // Kept predictions are intact after backward gave the step's other buffers back.
        foreach (var (before, after) in pooled.Predictions) Assert.Equal(before, after);
        Assert.True(pooled.Allocations[0] > 0, $"first step allocated {pooled.Allocations[0]} chunks");
        // The pool grows over the first steps (the first step's gradients come while its activations are
        // alive), then every step takes all its buffers from it.
        for (int step = 2; step < pooled.Allocations.Count; step++)
            Assert.Equal(pooled.Allocations[1], pooled.Allocations[step]);
        Assert.True(pool.FreeCount > 0);
    }

    /// <summary>The bytes the current thread allocates in one training step of <paramref name="model"/>, after three steps.</summary>
    private static long BytesOfAStep(Model model, Tensor inputs, Tensor labels, TensorPool? pool)
    {
        var optimizer = new Adam(0.001);
        var loss = new SparseCategoricalCrossEntropy();
        using var _ = pool is null ? null : new PoolScope(pool);
        long bytes = 0;
        for (int step = 0; step < 4; step++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            pool?.NextStep();
            optimizer.ZeroGrad();
            var predictions = model.Forward(inputs, training: true);
            var value = loss.Compute(predictions, labels);
            pool?.Keep(predictions);
            value.Backward(retainGraph: false);
            optimizer.Step(model.Parameters);
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        return bytes;
    }

    public static TheoryData<string> Examples => ["mlp", "cnn"];

    [Theory]
    [MemberData(nameof(Examples))]
    public void APooledStepOfTheExamplesAllocatesAlmostNothing(string example)
    {
        const int batch = 64;
        Model Build() => example == "mlp"
            ? new Sequential([784], [new Dense(256, "relu"), new Dense(128, "relu"), new Dense(10)], seed: 0)
            : new Sequential([1, 28, 28],
            [
                new Conv2D(8, 3, "relu", padding: "same"), new MaxPool2D(2),
                new Conv2D(16, 3, "relu", padding: "same"), new MaxPool2D(2),
                new Flatten(), new Dense(32, "relu"), new Dense(10),
            ], seed: 0);
        var images = Tensor.Zeros(example == "mlp" ? [batch, 784] : [batch, 1, 28, 28]);
        new RandomGenerator(3).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(batch);
        for (int i = 0; i < batch; i++) labels.Span[i] = i % 10;
        long unpooled = BytesOfAStep(Build(), images, labels, null);
        long pooled = BytesOfAStep(Build(), images, labels, new TensorPool());
        // Unpooled, every activation and gradient is a new array (hundreds of kilobytes at this batch);
        // pooled, only the tape's bookkeeping and the few tensors too small to pool remain.
        Assert.True(unpooled > 400_000, $"an unpooled {example} step allocated only {unpooled} bytes");
        Assert.True(pooled * 10 < unpooled, $"a pooled {example} step allocated {pooled} bytes, unpooled {unpooled}");
    }

    [Fact]
    public void TrainerFitMatchesTheUnpooledSteps()
    {
        var plain = Train(null, 3);
        var model = MultiBranch();
        var (images, labels) = Batches(3);
        var data = Sparta.Data.Dataset.Classification([("image", images)], labels.ToArray().Select(v => (int)v).ToArray(), Classes);
        model.Compile(new Sgd(0.05, momentum: 0.9), new SparseCategoricalCrossEntropy())
            .Fit(data, epochs: 1, batchSize: Batch, shuffle: false, verbose: false);
        var weights = model.Parameters.Select(p => p.Value.ToArray()).ToArray();
        for (int i = 0; i < plain.Weights.Length; i++) Assert.Equal(plain.Weights[i], weights[i]);
    }

    [Fact]
    public void BackwardGivesBackTheStepsIntermediatesButNotAnEarlierStepsNorTheCallersGradient()
    {
        var pool = new TensorPool();
        var w = Tensor.Zeros(64, 128);
        new RandomGenerator(1).FillUniform(w.Span, -1, 1);
        w.RequiresGrad = true;
        using var _ = pool.Use();
        pool.NextStep();
        var cached = w * 2f;                       // a layer's cache, made in an earlier step
        var cachedValues = cached.ToArray();
        pool.NextStep();
        var hidden = (w * 3f).Relu();
        var y = (hidden * cached).Add(w);
        var outputGradient = Tensor.Full(0.5f, y.Shape);
        y.Backward(outputGradient, retainGraph: false);
        Assert.Equal(cachedValues, cached.ToArray());
        Assert.All(outputGradient.ToArray(), v => Assert.Equal(0.5f, v));
        Assert.False(cached.Storage.IsFree);
        // y = relu(3w)·2w + w: dy/dw = relu'(3w)·3·2w + relu(3w)·2 + 1, times the 0.5 given, from the values.
        var expected = w.ToArray().Select((v, i) => 0.5f * ((3 * v > 0 ? 3 * cachedValues[i] + 3 * v * 2 : 0) + 1)).ToArray();
        var actual = w.Grad!.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f * (1 + Math.Abs(expected[i])));
        // The next tensor of that length takes a returned buffer instead of a new one.
        long allocations = pool.Allocations;
        pool.NextStep();
        var again = Tensor.Zeros(64, 128);
        Assert.Equal(allocations, pool.Allocations);
        Assert.All(again.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ASmallBufferGivenBackServesTheNextTensorOfItsLengthAndCannotComeBackTwice()
    {
        var pool = new TensorPool();
        var w = Tensor.Zeros(16, 10);              // 160 floats: no block of a chunk, an array of its own
        new RandomGenerator(2).FillUniform(w.Span, 0.5, 1);
        w.RequiresGrad = true;
        using var _ = pool.Use();
        pool.NextStep();
        var hidden = w * 3f;
        var y = hidden.Relu();
        y.Backward(Tensor.Full(1f, y.Shape), retainGraph: false);
        var (spent, output) = (hidden.Storage, y.Storage);
        Assert.True(spent.IsFree);
        Assert.All(w.Grad!.ToArray(), v => Assert.Equal(3f, v));
        // Giving it back a second time is caught.
        Assert.Throws<InvalidOperationException>(() => pool.Return(spent));
        pool.NextStep();
        var again = Tensor.Zeros(16, 10);
        // The backward's output came back at the step's end too: the next tensor takes one of the two.
        Assert.Contains(again.Storage, new[] { spent, output });
        Assert.All(again.ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(0, pool.Allocations);
        Assert.False(again.Storage.IsFree);
    }

    [Fact]
    public void SmallArraysOfALengthNoStepTookAreDropped()
    {
        var pool = new TensorPool();
        var w = Tensor.Zeros(16, 10);
        w.RequiresGrad = true;
        using var _ = pool.Use();
        pool.NextStep();
        var hidden = w * 3f;
        hidden.Relu().Backward(Tensor.Full(1f, 16, 10), retainGraph: false);
        Assert.True(hidden.Storage.IsFree);
        pool.NextStep();                           // a step that takes nothing of that length
        pool.NextStep();
        var again = Tensor.Zeros(16, 10);
        Assert.False(again.Storage.Span == hidden.Storage.Span, "an array of a length idle through a step was kept");
    }

    [Fact]
    public void AStepGivesBackDuringForwardTheOutputsOnlyAConcatenationOrAnAverageReads()
    {
        // Two branches joined, conv-BN-ReLU and conv-average-BN-ReLU: the batch norms' outputs (8192 floats each) live on
        // only in the concatenation (16384) and the second convolution's only until its average is taken, so after forward
        // the pool lends the first convolution's output, the average (the batch norms' inputs) and the join alone.
        var image = Model.Input([3, 16, 16], "image");
        SymbolicTensor Conv() => new Conv2D(4, 3, padding: "same", useBias: false).Call(image);
        SymbolicTensor BatchNorm(SymbolicTensor x) => new BatchNormalization(activation: new Relu()).Call(x);
        var joined = new Concatenate(axis: 1).Call(BatchNorm(Conv()), BatchNorm(new AveragePooling2D(3, 1, "same").Call(Conv())));
        var model = new Model(image, new Dense(Classes).Call(new GlobalAveragePooling2D().Call(joined)), "joined", seed: 3);
        var (images, labels) = Batches(1);
        images.RequiresGrad = false;
        var pool = new TensorPool();
        using var _ = new PoolScope(pool);
        pool.NextStep();
        var value = new SparseCategoricalCrossEntropy().Compute(model.Forward(images, training: true), labels);
        Assert.Equal(4 * 8192, pool.HeldLength - pool.FreeLength);
        value.Backward(retainGraph: false);
        Assert.All(model.Parameters, p => Assert.All(p.Value.Grad!.ToArray(), v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void ATensorUsedTwiceByOneOpGetsBothGradients()
    {
        var pool = new TensorPool();
        var x = Tensor.Full(1.5f, 64, 128);
        x.RequiresGrad = true;
        using var _ = pool.Use();
        pool.NextStep();
        var h = x * 2f;
        (h + h).Sum().Backward(retainGraph: false);
        Assert.All(x.Grad!.ToArray(), v => Assert.Equal(4f, v));
    }

    [Fact]
    public void AChunkNoStepTakesABlockOfIsDropped()
    {
        var pool = new TensorPool();
        var x = Tensor.Full(1f, 64, 128);
        x.RequiresGrad = true;
        x.Grad = Tensor.Zeros(64, 128);           // made before the pool: backward adds into it, keeping no block
        using var _ = pool.Use();
        pool.NextStep();
        (x * 2f).Sum().Backward(retainGraph: false);
        Assert.Equal(1, pool.FreeCount);          // everything the step took came back, merged
        Assert.True(pool.HeldLength > 0);
        pool.NextStep();                          // a step that takes nothing (other shapes)
        pool.NextStep();
        Assert.Equal(0, pool.FreeCount);
        Assert.Equal(0, pool.HeldLength);
    }

    [Fact]
    public void BuffersGivenBackSideBySideServeALongerOne()
    {
        // Two activations of different lengths freed in backward, then one tensor as long as both:
        // it takes their merged space, where a pool keyed by length would allocate again.
        var pool = new TensorPool();
        using var _ = pool.Use();
        pool.NextStep();
        var first = Tensor.Zeros(48, 1024);
        var second = Tensor.Zeros(16, 1024);
        long chunks = pool.Allocations, held = pool.HeldLength;
        var (chunk, offset) = (first.Storage.Chunk, first.Storage.Offset);
        pool.Return(second.Storage);
        pool.Return(first.Storage);
        Assert.Throws<InvalidOperationException>(() => pool.Return(first.Storage));
        var joined = Tensor.Zeros(64, 1024);
        Assert.Equal(chunks, pool.Allocations);
        Assert.Equal(held, pool.HeldLength);
        // The merged range is the shortest that holds it (the rest of the chunk is longer).
        Assert.Same(chunk, joined.Storage.Chunk);
        Assert.Equal(offset, joined.Storage.Offset);
        Assert.All(joined.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ALongerBlockTakesTheMemoryOfOnlyAsManyEmptyChunksAsItNeeds()
    {
        var pool = new TensorPool();
        using var _ = pool.Use();
        pool.NextStep();
        const int million = 1 << 20;
        // Chunks of 1, 1 and 2 Mi floats (a new chunk is as long as the pool already holds).
        var tensors = new[] { Tensor.Zeros(million), Tensor.Zeros(million), Tensor.Zeros(2 * million) };
        Assert.Equal(3, pool.Allocations);
        foreach (var t in tensors) pool.Return(t.Storage);
        // No free range holds 2.5 Mi floats: the 2 Mi chunk and one 1 Mi chunk make room, the other stays.
        var longer = Tensor.Zeros(5 * million / 2);
        Assert.Equal(4, pool.Allocations);
        Assert.Equal(million + 5 * million / 2, pool.HeldLength);
        Assert.Equal(million, pool.FreeLength);
        Assert.Equal(5 * million / 2, longer.Size);
    }

    [Fact]
    public void ThePoolHoldsNoMoreAfterTenStepsThanAfterTwo()
    {
        var pool = new TensorPool();
        var model = MultiBranch();
        var (images, labels) = Batches(10);
        var optimizer = new Sgd(0.05, momentum: 0.9);
        var loss = new SparseCategoricalCrossEntropy();
        var held = new List<long>();
        using var _ = new PoolScope(pool);
        for (int step = 0; step < 10; step++)
        {
            pool.NextStep();
            optimizer.ZeroGrad();
            var value = loss.Compute(model.Forward(images.Slice(step * Batch, Batch).Detach(), training: true), labels.Slice(step * Batch, Batch).Detach());
            value.Backward(retainGraph: false);
            optimizer.Step(model.Parameters);
            held.Add(pool.HeldLength);
        }
        Assert.All(held.Skip(2), h => Assert.Equal(held[1], h));
    }
}
