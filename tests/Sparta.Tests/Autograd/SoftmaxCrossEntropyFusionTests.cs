using Sparta.Autograd;
using Sparta.Tensors;

namespace Sparta.Tests.Autograd;

/// <summary>The fused softmax cross-entropy against the composition it replaces: the same loss and the same gradients.</summary>
public class SoftmaxCrossEntropyFusionTests
{
    [Fact]
    public void FusedLossAndGradientsMatchTheComposition()
    {
        var random = new RandomGenerator(11);
        float[] Values(int n, double low, double high) => Enumerable.Range(0, n).Select(_ => (float)random.Uniform(low, high)).ToArray();
        var logitValues = Values(5 * 7, -4, 4);
        var targetValues = Values(5 * 7, 0, 1);

        var (fusedLoss, fusedLogits, fusedTargets) = Run((l, t) => Ops.SoftmaxCrossEntropy(l, t));
        var (composedLoss, composedLogits, composedTargets) = Run((l, t) => (t * l.LogSoftmax(-1)).Sum() * (-1f / 5));

        Assert.Equal(composedLoss, fusedLoss, 5);
        for (int i = 0; i < fusedLogits.Length; i++)
        {
            Assert.Equal(composedLogits[i], fusedLogits[i], 5);
            Assert.Equal(composedTargets[i], fusedTargets[i], 5);
        }

        (float Loss, float[] LogitsGrad, float[] TargetsGrad) Run(Func<Tensor, Tensor, Tensor> loss)
        {
            var logits = Tensor.FromArray(logitValues, 5, 7);
            var targets = Tensor.FromArray(targetValues, 5, 7);
            logits.RequiresGrad = targets.RequiresGrad = true;
            var value = loss(logits, targets);
            value.Backward(Tensor.Full(0.75f, value.Shape.ToArray()));
            return (value.Span[0], logits.Grad!.ToArray(), targets.Grad!.ToArray());
        }
    }

    [Fact]
    public void SparseLabelsGiveTheLossOfTheirOneHotRows()
    {
        var logits = Tensor.FromArray(new[] { 1f, -2f, 0.5f, 3f, 0f, -1f }, 2, 3);
        var oneHot = Tensor.FromArray(new[] { 0f, 0f, 1f, 1f, 0f, 0f }, 2, 3);
        Assert.Equal(Ops.SoftmaxCrossEntropy(logits, oneHot).Span[0], Ops.SoftmaxCrossEntropy(logits, new[] { 2, 0 }).Span[0], 6);
    }
}
