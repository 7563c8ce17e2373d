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
[Collection(StepBytesCollection.Name)]
public class StepReuseTests
{
    private const int Batch = 32;

    /// <summary>
    /// The MLP example's layers, narrower. Its input is flat: a view made off the tape each step (a Flatten of the input batch itself) is a new object
    /// every step, since no backward sees it to give it back.
    /// </summary>
    private static Model Mlp() => new Sequential([784], [new Dense(64, "relu"), new Dense(32, "tanh"), new Dense(10)], seed: 4);

    private static (Tensor Images, Tensor Labels) Data()
    {
        var images = Tensor.Zeros(Batch, 784);
        new RandomGenerator(5).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(Batch);
        for (int i = 0; i < Batch; i++) labels.Span[i] = i % 10;
        return (images, labels);
    }

    /// <summary>One step as the trainer runs it, with the pool or without; returns the loss read after backward.</summary>
    private static float TrainStep(Model model, Optimizer optimizer, Loss loss, TensorPool? pool, Tensor images, Tensor labels)
    {
        pool?.NextStep();
        optimizer.ZeroGrad();
        var value = loss.Compute(model.Forward(images, training: true), labels);
        pool?.Keep(value);
        value.Backward(retainGraph: false);
        optimizer.Step(model.Parameters);
        return value.Item();
    }

    /// <summary>One pooled step; returns the loss and the bytes this thread allocated.</summary>
    private static (float Loss, long Bytes) Step(Model model, Optimizer optimizer, Loss loss, TensorPool pool, Tensor images, Tensor labels)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        float read = TrainStep(model, optimizer, loss, pool, images, labels);
        return (read, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// Trains a new <paramref name="network"/> for <paramref name="steps"/> Adam steps with a pool and without one:
    /// the losses and the final weights must be the same bits, and the loss must fall (the steps did learn).
    /// </summary>
    private static void AssertPooledStepsGiveTheBitsOfUnpooledOnes(Func<(Model Model, Tensor Images, Tensor Labels)> network, int steps)
    {
        (float[] Losses, float[][] Weights) Train(TensorPool? pool)
        {
            var (model, images, labels) = network();
            var optimizer = new Adam(0.01);
            var loss = new SparseCategoricalCrossEntropy();
            using var _ = pool?.Use();
            var losses = Enumerable.Range(0, steps).Select(_ => TrainStep(model, optimizer, loss, pool, images, labels)).ToArray();
            return (losses, model.Parameters.Select(p => p.Value.ToArray()).ToArray());
        }
        var fresh = Train(null);
        var reused = Train(new TensorPool());
        Assert.Equal(fresh.Losses, reused.Losses);
        for (int i = 0; i < fresh.Weights.Length; i++) Assert.Equal(fresh.Weights[i], reused.Weights[i]);
        Assert.True(fresh.Losses[^1] < fresh.Losses[0], $"the loss did not fall: {string.Join(", ", fresh.Losses)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AStepAfterTheFirstAllocatesNothing(int threadCount)
    {
        // This count whatever another test sets for the process; on two, Adam's update of the first layer splits.
        using var threads = Parallelism.Scope(threadCount);
        var (images, labels) = Data();
        AssertAStepAfterTheFirstAllocatesNothing(Mlp, images, labels);
    }

    /// <summary>
    /// Six pooled Adam steps of a new <paramref name="network"/>: the first allocates (the count counts), and every step
    /// after it, the second included, allocates 0 bytes; the pool neither grows nor loses a free block after the first
    /// step (a buffer no one gives back would shrink its free floats every step). The tests run alone
    /// (<see cref="StepBytesCollection"/>): no other test's call keeps the worker team busy. The steps run on a thread of
    /// their own, as a training run's first steps find it: the kept nodes, shapes and kernels' scratch of a thread that
    /// ran other tests could miss what this network asks for, or hold what it makes in its first step. The runtime
    /// itself, recompiling methods in the background with its dynamic profile, sometimes allocates a few hundred bytes on
    /// the thread in an early step (256 B in one run of three; never with DOTNET_TieredPGO=0), once a process: so a second
    /// try, a new network on a new thread, may pass where the first did not. What the library allocates, it allocates in
    /// every try.
    /// </summary>
    private static void AssertAStepAfterTheFirstAllocatesNothing(Func<Model> network, Tensor images, Tensor labels, bool fromLogits = true)
    {
        var tries = new List<string>();
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var steps = OnAThreadOfItsOwn(() => PooledStepBytes(network(), images, labels, new SparseCategoricalCrossEntropy(fromLogits)));
            Assert.True(steps[0].Bytes > 0, "the first step allocated nothing: the count is not counting");
            if (steps[1..].All(s => s.Bytes == 0 && s.HeldLength == steps[0].HeldLength && s.FreeLength == steps[0].FreeLength)) return;
            tries.Add(string.Join("; ", steps.Select((s, i) => $"step {i + 1}: {s.Bytes} B, {s.FreeLength} of {s.HeldLength} floats free")));
        }
        Assert.Fail(string.Join("\nagain: ", tries));
    }

    /// <summary>Six pooled Adam steps: each one's bytes allocated on this thread, and the pool's floats held and free after it.</summary>
    private static (long Bytes, long HeldLength, long FreeLength)[] PooledStepBytes(Model model, Tensor images, Tensor labels, Loss loss)
    {
        var optimizer = new Adam(0.001);
        var pool = new TensorPool();
        using var _ = pool.Use();
        return Enumerable.Range(0, 6).Select(_ =>
        {
            long bytes = Step(model, optimizer, loss, pool, images, labels).Bytes;
            return (bytes, pool.HeldLength, pool.FreeLength);
        }).ToArray();
    }

    /// <summary>Runs <paramref name="work"/> on a new thread (the thread count the caller set flows to it) and returns its result.</summary>
    private static T OnAThreadOfItsOwn<T>(Func<T> work)
    {
        T result = default!;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// The CNN example's layers, narrower and on smaller images: two convolutions (channels-blocked forward, the
    /// small-patch and blocked weight gradients, the blocked input gradient), each max pooled, then dense layers.
    /// A batch of 8 is two chunks of the convolutions, so on two threads their work is split.
    /// </summary>
    /// <summary>The guide's CNN on small images: its channels, so each convolution trains with its pooling as one op.</summary>
    private static Model Cnn() => new Sequential([1, 12, 12],
    [
        new Conv2D(32, 3, "relu", padding: "same"), new MaxPool2D(2), new Conv2D(64, 3, "relu", padding: "same"), new MaxPool2D(2),
        new Flatten(), new Dense(16, "relu"), new Dense(10),
    ], seed: 8);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AConvolutionalStepAfterTheFirstAllocatesNothing(int threadCount)
    {
        using var threads = Parallelism.Scope(threadCount);
        var images = Tensor.Zeros(8, 1, 12, 12);
        new RandomGenerator(9).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(8);
        for (int i = 0; i < 8; i++) labels.Span[i] = i;
        AssertAStepAfterTheFirstAllocatesNothing(Cnn, images, labels);
    }

    /// <summary>
    /// Networks whose layers allocated in every step before their ops recorded reused nodes: global average pooling (a
    /// reshape, sum and scale, each a closure), a softmax output the loss bypasses, dropout (a generator and a mask a
    /// step, the mask never given back), a residual join (add) with batch normalization and ReLU layers, and Inception's
    /// concatenations and stride-1 average pooling, whose batch normalizations take each other's kept nodes; a layer
    /// whose output is made off the tape (the images' zero padding, as ResNet-18's stem pads them), and ResNet-18 itself.
    /// Their second steps allocated too (the optimizer's slots and the parameters' first gradients took the pool's
    /// objects and blocks, Inception v4 then needed a new chunk; nodes of other widths made their arrays again).
    /// </summary>
    public static TheoryData<string, int> SmallNetworks => new()
    {
        { "average_pooled", 1 }, { "average_pooled", 2 }, { "dropout", 1 }, { "dropout", 2 },
        { "residual", 1 }, { "residual", 2 }, { "inception", 1 }, { "inception", 2 },
        { "padded", 1 }, { "padded", 2 }, { "resnet18", 1 }, { "resnet18", 2 }, { "probabilities", 1 }, { "probabilities", 2 },
    };

    private static Model SmallNetwork(string name)
    {
        if (name == "residual")
        {
            var image = Model.Input([3, 12, 12]);
            var stem = new Conv2D(8, 3, padding: "same", useBias: false).Call(image);
            var branch = new BatchNormalization().Call(new Conv2D(8, 3, padding: "same", useBias: false).Call(stem));
            var joined = new ActivationLayer("relu").Call(new Add().Call(branch, stem));
            return new Model(image, new Dense(10, "softmax").Call(new GlobalAveragePooling2D().Call(joined)), seed: 3);
        }
        if (name == "inception") return Zoo.InceptionV4([3, 75, 75], classes: 10, seed: 3, width: 0.1);
        if (name == "resnet18") return Zoo.ResNet18([3, 32, 32], classes: 10, seed: 3);
        // The images' padding needs no gradient: the layer's output is made off the tape, which no backward gives back.
        if (name == "padded")
            return new Sequential([3, 12, 12], [new ZeroPadding2D(1), new Conv2D(4, 3, "relu"), new GlobalAveragePooling2D(), new Dense(10, "softmax")], seed: 3);
        return new Sequential([3, 12, 12], name == "dropout"
            ? [new Conv2D(4, 3, "relu"), new Flatten(), new Dropout(0.25), new Dense(10, "softmax")]
            : [new Conv2D(4, 3, "relu", padding: "same"), new GlobalAveragePooling2D(), new Dense(10, "softmax")], seed: 3);
    }

    [Theory]
    [MemberData(nameof(SmallNetworks))]
    public void AStepOfPoolingDropoutResidualAndInceptionLayersAfterTheFirstAllocatesNothing(string name, int threadCount)
    {
        using var threads = Parallelism.Scope(threadCount);
        int batch = name is "inception" or "resnet18" ? 2 : 8;
        int[] sample = name switch { "inception" => [3, 75, 75], "resnet18" => [3, 32, 32], _ => [3, 12, 12] };
        var images = Tensor.Zeros([batch, .. sample]);
        new RandomGenerator(9).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(batch);
        for (int i = 0; i < batch; i++) labels.Span[i] = i;
        // "probabilities": the loss reads the softmax output's probabilities (from_logits false, as compile's loss names
        // give it), so it bypasses that output: its value is a view of the fused loss, which the trainer keeps.
        AssertAStepAfterTheFirstAllocatesNothing(() => SmallNetwork(name), images, labels, fromLogits: name != "probabilities");
    }

    [Fact]
    public void ReusedObjectsGiveTheLossesAndWeightsOfFreshOnes() => AssertPooledStepsGiveTheBitsOfUnpooledOnes(() =>
    {
        var (images, labels) = Data();
        return (Mlp(), images, labels);
    }, steps: 5);

    /// <summary>
    /// Networks whose steps reuse objects of every kind the tape records: convolutions and max pooling with their saved
    /// indices, a flatten (a view), dropout, a softmax output whose logits the loss reads, and ResNet-18's batch
    /// normalization, projections and residual adds (a gradient passed on to two inputs).
    /// </summary>
    public static TheoryData<string> Networks => ["cnn", "resnet18", "inception"];

    private static (Model Model, Tensor Images, Tensor Labels) Network(string name)
    {
        var model = name switch
        {
            "cnn" => new Sequential([1, 12, 12],
            [
                new Conv2D(4, 3, "relu", padding: "same"), new MaxPool2D(2), new Conv2D(8, 3, "relu"), new MaxPool2D(2),
                new Flatten(), new Dense(16, "relu"), new Dropout(0.25), new Dense(10, "softmax"),
            ], seed: 6),
            "inception" => Zoo.InceptionV4([3, 75, 75], classes: 10, seed: 6, width: 0.1),
            _ => Zoo.ResNet18([3, 32, 32], classes: 10, seed: 6),
        };
        int batch = name switch { "cnn" => 8, "inception" => 2, _ => 4 };
        var images = Tensor.Zeros([batch, .. model.InputShapes[0].ToArray()]);
        new RandomGenerator(7).FillNormal(images.Span, 0, 1);
        var labels = Tensor.Zeros(batch);
        for (int i = 0; i < batch; i++) labels.Span[i] = (3 * i) % 10;
        return (model, images, labels);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void PooledStepsOfConvolutionalNetworksGiveTheBitsOfUnpooledOnes(string name) =>
        AssertPooledStepsGiveTheBitsOfUnpooledOnes(() => Network(name), steps: 4);

    [Fact]
    public void ATensorLeftOverFromAnEarlierLoanCannotGiveBackTheNextOne()
    {
        var pool = new TensorPool();
        using var _ = pool.Use();
        pool.NextStep();
        var stale = Tensor.Uninitialized(new Shape(64, 1024));
        // Its buffer goes back through another route (a view's release); the object stays with its holder.
        pool.Return(stale.Storage);
        var next = Tensor.Uninitialized(new Shape(64, 1024));
        Assert.Same(stale.Storage, next.Storage);
        Assert.True(pool.LentThisStep(next));
        Assert.False(pool.LentThisStep(stale));
        TensorPool.Recycle(stale);
        Assert.False(next.Storage.IsFree);
        // A view of the stale tensor is as stale; one of the new tensor may give the buffer back.
        Assert.False(pool.LentThisStep(stale.View(new Shape(1024, 64))));
        Assert.True(pool.LentThisStep(next.View(new Shape(1024, 64))));
    }

    [Fact]
    public void AReusedTensorObjectKeepsNoSoftmaxLogitsOfItsLastUse()
    {
        var pool = new TensorPool();
        using var _ = pool.Use();
        pool.NextStep();
        var weights = Tensor.Zeros(16, 10);
        weights.RequiresGrad = true;
        var probabilities = new Sparta.Activations.Softmax().Apply(weights * 2f);
        Assert.NotNull(probabilities.SoftmaxLogits);
        var total = (probabilities * probabilities).Sum();
        total.Backward(retainGraph: false);
        pool.NextStep();
        // Every object of the step came back: the later gradients of the backward (the weights' is one) and the next
        // tensors took them, none with logits attached.
        var made = Enumerable.Range(0, 8).Select(_ => Tensor.Zeros(16, 10)).Prepend(weights.Grad!).ToArray();
        Assert.Contains(made, t => ReferenceEquals(t, probabilities));
        Assert.All(made, t => Assert.Null(t.SoftmaxLogits));
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

/// <summary>
/// Tests that count a step's bytes run alone: a step that finds the worker team busy with another test's
/// call runs on the thread pool and allocates, and under a full parallel run every later step can.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class StepBytesCollection
{
    public const string Name = "step bytes";
}
