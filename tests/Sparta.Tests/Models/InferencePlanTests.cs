using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Tests.Models;

public class InferencePlanTests
{
    private static Model Cnn() => new Sequential([1, 10, 10],
    [
        new Conv2D(6, 3, "relu", padding: "same"), new MaxPool2D(2), new BatchNormalization(),
        new Conv2D(4, 3, "tanh"), new Flatten(), new Dropout(0.5), new Dense(7, "swish"), new Dense(3, "softmax"),
    ], seed: 5);

    private static Tensor Batch(int size, ulong seed)
    {
        var x = Tensor.Zeros(size, 1, 10, 10);
        new RandomGenerator(seed).FillUniform(x.Span, -1, 1);
        return x;
    }

    [Fact]
    public void Each_call_equals_the_forward_pass_bit_for_bit_at_any_batch_size_in_any_order()
    {
        var model = Cnn();
        var plan = new InferencePlan(model);
        var earlier = new List<(Tensor Output, Tensor Expected)>();
        foreach (var (size, seed) in new[] { (3, 1UL), (3, 2UL), (1, 3UL), (8, 4UL), (3, 5UL) })
        {
            var x = Batch(size, seed);
            var expected = model.Forward(x);
            var output = plan.Run([x]);
            Assert.Equal(expected.Shape, output.Shape);
            Assert.Equal(expected.Span.ToArray(), output.Span.ToArray());
            earlier.Add((output, expected));
        }
        // Results are the caller's: later calls reuse the plan's buffers, never the returned tensors.
        foreach (var (output, expected) in earlier) Assert.Equal(expected.Span.ToArray(), output.Span.ToArray());
    }

    [Fact]
    public void A_convolution_and_the_max_pooling_reading_it_run_as_one_pass_giving_the_same_values()
    {
        // 32 filters fill whole channel groups at 8 and 16 lanes: both pairs (ReLU with 2x2 windows, linear with 3x3 of
        // stride 2, whose last row and column no window reads) run fused wherever the blocked kernel runs.
        var ends = StepEnds(new Sequential([2, 12, 12],
        [
            new Conv2D(32, 3, "relu", padding: "same"), new MaxPool2D(2),
            new Conv2D(32, 3, padding: "same"), new MaxPool2D(3, 2), new Flatten(), new Dense(5),
        ], seed: 3), batch: 4, seed: 8);
        bool fused = Sparta.Kernels.Conv2DBlocked.Lanes > 0;
        Assert.Equal(fused, ends[0] == ends[1]);
        Assert.Equal(fused, ends[2] == ends[3]);
    }

    [Fact]
    public void Consecutive_convolutions_and_poolings_run_as_one_chain_giving_the_same_values()
    {
        // 24 and 28 filters fill at least three quarters of a channel group at every width, so each convolution runs blocked.
        var ends = StepEnds(new Sequential([2, 14, 14],
        [
            new Conv2D(24, 3, "relu", padding: "same"), new Conv2D(28, 3), new MaxPool2D(2),
            new Conv2D(24, 3, "relu", padding: "same"), new MaxPool2D(2), new Flatten(), new Dense(5),
        ], seed: 11), batch: 3, seed: 12);
        bool chained = Sparta.Kernels.Conv2DBlocked.Lanes > 0;
        for (int s = 1; s <= 4; s++) Assert.Equal(chained, ends[s] == ends[0]);
    }

    [Fact]
    public void A_chain_ends_at_a_convolution_whose_activation_the_tile_does_not_run()
    {
        var ends = StepEnds(new Sequential([2, 12, 12],
        [
            new Conv2D(24, 3, "relu", padding: "same"), new Conv2D(28, 3, "tanh", padding: "same"), new Conv2D(24, 3, "relu", padding: "same"),
            new MaxPool2D(2), new Flatten(),
        ], seed: 13), batch: 2, seed: 14);
        bool chained = Sparta.Kernels.Conv2DBlocked.Lanes > 0;
        Assert.Equal(chained, ends[1] == ends[0]); // the tanh convolution ends the first chain
        Assert.NotEqual(ends[1], ends[2]);         // the next starts another, with its pooling
        Assert.Equal(chained, ends[3] == ends[2]);
    }

    /// <summary>
    /// Asserts that the plan gives the model's forward pass on the tape (every layer alone) bit for bit
    /// on a random batch, and returns the timestamp at which each step ended in a second call: steps
    /// run as one pass end together.
    /// </summary>
    private static long[] StepEnds(Model model, int batch, ulong seed)
    {
        var x = Tensor.Zeros([batch, .. model.InputShapes[0].ToArray()]);
        new RandomGenerator(seed).FillUniform(x.Span, -1, 1);
        var plan = new InferencePlan(model);
        Assert.Equal(model.Forward(x).Span.ToArray(), plan.Run([x]).Span.ToArray());
        var stamps = new long[model.StepNames.Count + 1]; // [0] when the steps began, [s + 1] when step s ended
        plan.RunOutputs([x], _ => { }, stamps);
        return stamps[1..];
    }

    [Fact]
    public void A_convolution_whose_output_is_also_read_elsewhere_runs_alone()
    {
        var input = Model.Input([1, 8, 8]);
        var features = new Conv2D(16, 3, "relu", padding: "same").Call(input);
        var pooled = new Flatten().Call(new MaxPool2D(2).Call(features));
        var model = new Model(input, new Concatenate().Call(pooled, new Flatten().Call(features)), seed: 4);
        var x = Tensor.Zeros(2, 1, 8, 8);
        new RandomGenerator(9).FillUniform(x.Span, -1, 1);
        Assert.Equal(model.Forward(x).Span.ToArray(), new InferencePlan(model).Run([x]).Span.ToArray());
    }

    [Fact]
    public void A_convolution_before_a_dilated_max_pooling_runs_alone_with_the_same_values()
    {
        var model = new Sequential([1, 9, 9], [new Conv2D(16, 3, "relu", padding: "same"), new MaxPool2D(2, dilationRate: 2), new Flatten()], seed: 6);
        var x = Tensor.Zeros(2, 1, 9, 9);
        new RandomGenerator(10).FillUniform(x.Span, -1, 1);
        Assert.Equal(model.Forward(x).Span.ToArray(), new InferencePlan(model).Run([x]).Span.ToArray());
    }

    [Fact]
    public void Repeated_calls_at_one_batch_size_keep_the_same_buffers()
    {
        var plan = new InferencePlan(Cnn());
        var x = Batch(4, 9);
        plan.Run([x]);
        long planned = plan.BufferLength;
        Assert.True(planned > 0);
        for (int i = 0; i < 3; i++) plan.Run([x], _ => { });
        Assert.Equal(planned, plan.BufferLength);
    }

    [Fact]
    public void The_plan_records_nothing_on_the_tape_and_leaves_later_tensors_alone()
    {
        var model = Cnn();
        var plan = new InferencePlan(model);
        plan.Run([Batch(2, 1)], output => Assert.False(output.RequiresGrad));
        var outside = Tensor.Zeros(2, 3);
        plan.Run([Batch(2, 2)]);
        Assert.All(outside.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void An_arena_serves_one_computation_at_a_time()
    {
        var arena = new TensorArena();
        using (arena.Use())
        {
            var first = Tensor.Zeros(5);
            Assert.Throws<InvalidOperationException>(() => arena.Use());
        }
        using (arena.Use())
        {
            var again = Tensor.Uninitialized(new Shape(5));
            again.Span.Fill(3f);
            var cleared = Tensor.Zeros(4);
            Assert.All(cleared.Span.ToArray(), v => Assert.Equal(0f, v));
        }
        using (arena.Use())
        {
            // The first buffer again, asked for as zeros: cleared though it held threes.
            var reused = Tensor.Zeros(5);
            Assert.All(reused.Span.ToArray(), v => Assert.Equal(0f, v));
        }
        Assert.Equal(2, arena.BufferCount);
    }
}
