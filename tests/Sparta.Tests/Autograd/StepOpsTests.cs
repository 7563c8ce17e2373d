using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Tests.Autograd;

/// <summary>
/// Ops rewritten so that a training step reuses their objects, against what they replaced: global average pooling
/// as one op against the reshape, sum and scale it was; dropout's mask drawn from a restarted generator against a
/// forked one; and dropout's mask given back to the pool.
/// </summary>
public class StepOpsTests
{
    [Fact]
    public void GlobalAveragePoolingGivesTheBitsOfTheReshapeSumAndScale()
    {
        var values = new float[3 * 5 * 7 * 6];
        new RandomGenerator(4).FillNormal(values, 0, 3);
        var gradientValues = new float[3 * 5];
        new RandomGenerator(5).FillNormal(gradientValues, 0, 1);

        var (fused, fusedGradient) = Run(x => x.GlobalAveragePool2D());
        var (composed, composedGradient) = Run(x => x.Reshape(3, 5, -1).Mean(2));
        Assert.Equal(composed, fused);
        Assert.Equal(composedGradient, fusedGradient);

        (float[] Output, float[] Gradient) Run(Func<Tensor, Tensor> pool)
        {
            var x = Tensor.FromArray(values, 3, 5, 7, 6);
            x.RequiresGrad = true;
            var y = pool(x);
            y.Backward(Tensor.FromArray(gradientValues, 3, 5));
            return (y.ToArray(), x.Grad!.ToArray());
        }
    }

    [Fact]
    public void GlobalAveragePoolingNamesItsInputWhenItIsNoImageBatch()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).GlobalAveragePool2D());
        Assert.Contains("global_average_pool2d", error.Message);
        Assert.Contains("(2, 3, 4)", error.Message);
    }

    [Fact]
    public void AGeneratorForkedIntoAnotherDrawsTheForkedStream()
    {
        var parent = new RandomGenerator(17);
        var target = new RandomGenerator(99);
        target.NextDouble();
        target.Normal(); // a spare normal is kept: the restart must drop it
        foreach (ulong stream in new ulong[] { 0, 1, 12345 })
        {
            parent.ForkInto(stream, target);
            var forked = parent.Fork(stream);
            Assert.Equal(forked.Seed, target.Seed);
            for (int i = 0; i < 8; i++) Assert.Equal(forked.Normal(), target.Normal());
        }
    }

    [Fact]
    public void DropoutOffTheTapeGivesItsMaskBackToThePool()
    {
        var pool = new TensorPool();
        using var _ = pool.Use();
        pool.NextStep();
        var x = Tensor.Full(1f, 64, 128); // requires no gradient: nothing records the op
        long free = pool.FreeLength;
        var y = x.Dropout(0.5f, new RandomGenerator(2));
        // Only the output's block is out; the mask's is free again (before, it stayed lent for good, step after step).
        Assert.Equal(free - 64 * 128, pool.FreeLength);
        Assert.Contains(0f, y.ToArray());
    }
}
