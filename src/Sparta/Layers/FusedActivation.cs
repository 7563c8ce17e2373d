using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>
/// An activation the bias+activation kernel computes, applied in place on a layer's fresh
/// pre-activation z (a convolution output nobody else holds): y = f(z) shares z's memory, and the
/// backward needs only y. The op before z (the convolution) never reads z in its backward, so
/// overwriting it is safe and saves a buffer per step.
/// </summary>
internal static class FusedActivation
{
    public static Tensor InPlace(Tensor z, BiasActivationKind kind, float alpha)
    {
        if (kind == BiasActivationKind.Identity) return z;
        int outer = z.Shape[0], channels = z.Shape[1], inner = z.Shape.SizeFrom(2);
        var y = z.View(z.Shape);
        BiasActivation.Forward(kind, alpha, outer, channels, inner, z.Span, default, y.Span);
        if (!Tape.ShouldRecord(z)) return y;
        return Tape.Record(y, "bias_activation", [z], g =>
        {
            var dz = Tensor.Uninitialized(z.Shape);
            BiasActivation.Backward(kind, alpha, outer, channels, inner, y.Span, g.Span, dz.Span, default);
            return [dz];
        });
    }
}
