using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// <paramref name="value"/> as it is, recorded as also reading <paramref name="bypassed"/>, which it passes no gradient.
    /// A loss computed from the logits under a softmax or sigmoid output bypasses that output; reading it here keeps it in
    /// the graph, so a backward that frees the graph gives its buffer back (<see cref="Tape.Backward"/>) instead of
    /// leaving it lent from the pool for good, step after step.
    /// </summary>
    internal static Tensor Bypassing(this Tensor value, Tensor bypassed)
    {
        if (!Tape.ShouldRecord(value, bypassed)) return value;
        return Tape.Record(value.View(value.Shape), "bypassing", [value, bypassed], new BypassingGradients());
    }

    /// <summary>The value's gradient passed on as is; none for the bypassed output.</summary>
    private readonly struct BypassingGradients : IBackward
    {
        public void Run(Tensor[] inputs, Tensor g, Tensor?[] gradients) => gradients[0] = g;
    }
}
