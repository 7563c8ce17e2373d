using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Composite: inverted dropout, x · mask with mask = 1/(1 − rate) for kept values and 0 for
    /// dropped ones (so inference needs no rescaling). The mask is a constant drawn from
    /// <paramref name="random"/>; the product's backward sends the gradient through kept values only.
    /// </summary>
    public static Tensor Dropout(this Tensor x, float rate, RandomGenerator random)
    {
        if (!(rate >= 0f && rate < 1f)) throw new ArgumentOutOfRangeException(nameof(rate), $"dropout: rate must be in [0, 1), got {rate}");
        var mask = Tensor.Uninitialized(x.Shape);
        float keep = 1f / (1f - rate);
        var values = mask.Span;
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() < rate ? 0f : keep;
        return Multiply(x, mask);
    }
}
