using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout, x · mask with mask = 1/(1 − rate) for kept values and 0 for dropped ones (so inference needs
    /// no rescaling). The mask is a constant drawn from <paramref name="random"/>; backward sends the gradient through
    /// kept values only, g · mask, and gives the mask back to the pool.
    /// </summary>
    public static Tensor Dropout(this Tensor x, float rate, RandomGenerator random)
    {
        if (!(rate >= 0f && rate < 1f)) throw new ArgumentOutOfRangeException(nameof(rate), $"dropout: rate must be in [0, 1), got {rate}");
        var mask = Tensor.Uninitialized(x.Shape);
        float keep = 1f / (1f - rate);
        var values = mask.Span;
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() < rate ? 0f : keep;
        var y = TensorMath.Multiply(x, mask);
        // The mask is the op's own: kept for backward, else given back now (a step would otherwise leave a buffer lent for good).
        if (Tape.ShouldRecord(x)) Tape.Record(y, "dropout", [x], new DropoutGradients(mask));
        else TensorPool.Recycle(mask);
        return y;
    }

    private readonly struct DropoutGradients(Tensor mask) : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients)
        {
            gradients[0] = TensorMath.Multiply(g, mask);
            Tape.ReleaseSaved(mask);
        }
    }
}
