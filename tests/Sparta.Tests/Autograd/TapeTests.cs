using Sparta.Autograd;
using Sparta.Tensors;

namespace Sparta.Tests.Autograd;

public class TapeTests
{
    [Fact]
    public void GradientsAccumulateAcrossUses()
    {
        var x = Parameter([1.5f, -2f, 0.5f], 3);
        // y = Σ (x·x + x) uses x three times: dy/dx = 2x + 1.
        (x * x + x).Sum().Backward();
        Assert.Equal([4f, -3f, 2f], x.Grad!.ToArray());
    }

    [Fact]
    public void SecondBackwardAddsToTheGradientUntilZeroGrad()
    {
        var x = Parameter([1f, 2f], 2);
        var y = (x * 3f).Sum();
        y.Backward();
        y.Backward();
        Assert.Equal([6f, 6f], x.Grad!.ToArray());
        var buffer = x.Grad;
        x.ZeroGrad();
        Assert.Same(buffer, x.Grad);
        Assert.Equal([0f, 0f], x.Grad.ToArray());
    }

    [Fact]
    public void ReleasingTheGraphGivesTheSameGradientsAndCutsEveryOpFromIt()
    {
        var (x, retained) = (Parameter([0.5f, -1f, 2f], 3), Parameter([0.5f, -1f, 2f], 3));
        var hidden = (x * x).Exp();
        var y = (hidden * x).Sum();
        y.Backward(retainGraph: false);
        ((retained * retained).Exp() * retained).Sum().Backward();
        Assert.Equal(retained.Grad!.ToArray(), x.Grad!.ToArray());
        Assert.True(hidden.IsLeaf && y.IsLeaf);
        Assert.Contains("does not require grad", Assert.Throws<InvalidOperationException>(() => y.Backward()).Message);
    }

    [Fact]
    public void BroadcastInputReceivesGradientSummedToItsShape()
    {
        var w = Parameter([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var bias = Parameter([0f, 0f, 0f], 3);
        var rows = Tensor.FromArray([1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f], 4, 2);
        rows.MatMul(w).Add(bias).Sum().Backward();
        Assert.Equal([3], bias.Grad!.Shape.ToArray());
        Assert.Equal([4f, 4f, 4f], bias.Grad.ToArray());
        // dW = rowsᵀ·1: every column gets the column sums of rows.
        Assert.Equal([10f, 10f, 10f, 10f, 10f, 10f], w.Grad!.ToArray());
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var x = Parameter([1f, 2f], 2);
        Tensor y;
        using (Tape.NoGrad())
        {
            Assert.False(Tape.IsRecording);
            y = (x * x).Exp();
        }
        Assert.True(Tape.IsRecording);
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Contains("does not require grad", Assert.Throws<InvalidOperationException>(() => y.Sum().Backward()).Message);
    }

    [Fact]
    public void NoGradScopesNest()
    {
        using (Tape.NoGrad())
        {
            using (Tape.NoGrad()) { }
            Assert.False(Tape.IsRecording);
        }
        Assert.True(Tape.IsRecording);
    }

    [Fact]
    public void ConstantsGetNoGradientAndAreNotComputedFor()
    {
        var x = Parameter([1f, 2f], 2);
        var c = Tensor.FromArray([5f, 7f], 2);
        (x * c).Sum().Backward();
        Assert.Null(c.Grad);
        Assert.Equal([5f, 7f], x.Grad!.ToArray());
    }

    [Fact]
    public void DetachCutsTheTape()
    {
        var x = Parameter([2f], 1);
        // d/dx (x · detach(x)) = detach(x) = 2, not 2x = 4.
        (x * x.Detach()).Sum().Backward();
        Assert.Equal([2f], x.Grad!.ToArray());
    }

    [Fact]
    public void NonLeafGradientsAreNotKept()
    {
        var x = Parameter([1f, 2f], 2);
        var hidden = x * 2f;
        hidden.Sum().Backward();
        Assert.Null(hidden.Grad);
        Assert.False(hidden.IsLeaf);
    }

    [Fact]
    public void BackwardWithAnOutputGradient()
    {
        var x = Parameter([1f, 2f, 3f], 3);
        x.Exp().Backward(Tensor.FromArray([1f, 0f, 2f], 3));
        Assert.Equal(new[] { MathF.Exp(1), 0f, 2 * MathF.Exp(3) }, x.Grad!.ToArray());
    }

    [Fact]
    public void BadBackwardCallsSayWhatIsWrong()
    {
        var x = Parameter([1f, 2f], 2);
        var y = x * 2f;
        Assert.Equal("backward: output of shape (2) is not a scalar; pass its gradient",
            Assert.Throws<ArgumentException>(() => y.Backward()).Message);
        Assert.Equal("backward: gradient of shape (3) does not match output shape (2)",
            Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Zeros(3))).Message);
        Assert.Equal("requires_grad: tensor of shape (2) is the result of 'mul'; only leaves can be marked",
            Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false).Message);
    }

    [Fact]
    public void LabelOutOfRangeIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.SoftmaxCrossEntropy(Tensor.Zeros(2, 3), [0, 3]));
        Assert.StartsWith("softmax_cross_entropy: label 3 at row 1 is not one of the 3 classes", e.Message);
    }

    [Fact]
    public void OperatorShapeMismatchNamesTheOp()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(2));
        Assert.Equal("add: shapes (2, 3) and (2) do not broadcast", e.Message);
    }

    [Fact]
    public void DeepChainsDoNotOverflowTheStack()
    {
        var x = Parameter([1f], 1);
        var y = x;
        for (int i = 0; i < 20_000; i++) y = y + 0f;
        y.Sum().Backward();
        Assert.Equal([1f], x.Grad!.ToArray());
    }

    [Fact]
    public void GradientsAreBitIdenticalForAnyThreadCount()
    {
        float[] Run(int threads)
        {
            using var threadCount = Parallelism.Scope(threads);
            var w = Tensor.Zeros(64, 33);
            new RandomGenerator(9).FillNormal(w.Span, 0, 1);
            w.RequiresGrad = true;
            var x = Tensor.Zeros(50, 64);
            new RandomGenerator(10).FillNormal(x.Span, 0, 1);
            var targets = Tensor.Zeros(50, 33);
            for (int i = 0; i < 50; i++) targets.Span[i * 33 + i % 33] = 1f;
            Ops.SoftmaxCrossEntropy(x.MatMul(w).Tanh(), targets).Backward();
            return w.Grad!.ToArray();
        }
        Assert.Equal(Run(1), Run(2));
    }

    private static Tensor Parameter(float[] values, params int[] shape)
    {
        var t = Tensor.FromArray(values, shape);
        t.RequiresGrad = true;
        return t;
    }
}
