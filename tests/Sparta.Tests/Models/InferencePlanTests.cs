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
