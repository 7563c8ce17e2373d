using Sparta.Autograd;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Tests.Optimizers;

/// <summary>Optimizers driven by the tape's gradients (Tensor.Grad), as the training loop uses them.</summary>
public class AutogradTrainingTests
{
    /// <summary>Least squares y = X·w_true: the tape computes d loss / d w, Adam finds w_true.</summary>
    [Fact]
    public void AdamFitsALinearModelThroughTheTape()
    {
        var random = new RandomGenerator(2);
        var x = Tensor.Zeros(64, 3);
        random.FillNormal(x.Span, 0, 1);
        float[] trueWeights = [1.5f, -2f, 0.5f];
        var y = x.MatMul(Tensor.FromArray(trueWeights, 3, 1));
        var w = Tensor.Zeros(3, 1);
        w.RequiresGrad = true;
        var optimizer = new Adam(0.05);
        for (int step = 0; step < 500; step++)
        {
            optimizer.ZeroGrad();
            var residual = x.MatMul(w) - y;
            (residual * residual).Mean().Backward();
            optimizer.Step([w]);
        }
        for (int i = 0; i < 3; i++) Assert.True(Math.Abs(w.Span[i] - trueWeights[i]) < 1e-2, $"w[{i}] = {w.Span[i]}");
        Assert.Equal(["0/m", "0/v"], optimizer.ExportState().Slots.Keys.Order());
    }

    [Fact]
    public void ParametersWithoutAGradientAreLeftAlone()
    {
        var used = new Parameter("used", Tensor.Full(1f, 2));
        var unused = new Parameter("unused", Tensor.Full(1f, 2));
        (used.Value * used.Value).Sum().Backward();
        new Sgd(0.1, options: new OptimizerOptions { WeightDecay = 0.5 }).Step([used, unused]);
        // Decay first (1 − 0.1·0.5), then the gradient 2·w taken at the old w = 1: 0.95 − 0.1·2.
        Assert.All(used.Value.ToArray(), v => Assert.Equal(0.75, v, 6));
        Assert.Equal([1f, 1f], unused.Value.ToArray());
    }

    [Fact]
    public void FreezingTurnsOffTheGradient()
    {
        var p = new Parameter("w", Tensor.Full(2f, 2)) { Trainable = false };
        Assert.False(p.Value.RequiresGrad);
        p.Trainable = true;
        Assert.True(p.Value.RequiresGrad);
    }

    [Fact]
    public void LbfgsWithABackwardClosure()
    {
        // Minimize Σ (w − c)⁴ + Σ (w − c)², minimum at c.
        var c = Tensor.FromArray([0.5f, -1f, 2f, 3f], 4);
        var w = new Parameter("w", Tensor.Zeros(4));
        var result = new Lbfgs().Minimize([w], () =>
        {
            var d = w.Value - c;
            var loss = (d * d * d * d).Sum() + (d * d).Sum();
            loss.Backward();
            return loss.Item();
        });
        for (int i = 0; i < 4; i++) Assert.True(Math.Abs(w.Value.Span[i] - c.Span[i]) < 1e-3, $"w[{i}] = {w.Value.Span[i]} ({result.Reason})");
    }
}
