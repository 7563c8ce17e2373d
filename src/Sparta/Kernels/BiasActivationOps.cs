using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// One activation as a tiny struct: f(x), and f'(x) written in terms of y = f(x) so backward
/// needs only the stored output. The generic loops of <see cref="BiasActivation"/> are specialised
/// by the JIT for each struct. Ragged tails go through the same vector form, so every element is
/// computed the same way wherever it sits in a row.
/// </summary>
internal interface IActivationOp
{
    Vector512<float> Apply(Vector512<float> x);
    Vector512<float> Slope(Vector512<float> y);
}

internal readonly struct IdentityOp : IActivationOp
{
    public Vector512<float> Apply(Vector512<float> x) => x;
    public Vector512<float> Slope(Vector512<float> y) => Vector512<float>.One;
}

internal readonly struct ReluOp : IActivationOp
{
    public Vector512<float> Apply(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
    public Vector512<float> Slope(Vector512<float> y) => Vector512.GreaterThan(y, Vector512<float>.Zero) & Vector512<float>.One;
}

/// <summary>With alpha ≥ 0, y &gt; 0 exactly when x &gt; 0, which is what lets the slope be read off the output.</summary>
internal readonly struct LeakyReluOp(float alpha) : IActivationOp
{
    public Vector512<float> Apply(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * alpha);
    public Vector512<float> Slope(Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), Vector512<float>.One, Vector512.Create(alpha));
}

internal readonly struct SigmoidOp : IActivationOp
{
    public Vector512<float> Apply(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
    public Vector512<float> Slope(Vector512<float> y) => y * (Vector512<float>.One - y);
}

/// <summary>
/// tanh x = sign(x)·(1 − e^(−2|x|)) / (1 + e^(−2|x|)): the exponent is never positive, so nothing
/// overflows. Below |x| = 0.625 the difference 1 − e^(−2|x|) cancels and loses relative precision
/// (1e-2 near x = 1e-5, which matters for tiny activations such as a std-0.01 initialization), so
/// there the odd polynomial of Cephes' tanhf is used instead.
/// </summary>
internal readonly struct TanhOp : IActivationOp
{
    public Vector512<float> Apply(Vector512<float> x)
    {
        var magnitude = Vector512.Abs(x);
        var t = Vector512.Exp(magnitude * -2f);
        var large = Vector512.CopySign((Vector512<float>.One - t) / (Vector512<float>.One + t), x);
        var z = x * x;
        var p = Vector512.FusedMultiplyAdd(z, Vector512.Create(-5.70498872745e-3f), Vector512.Create(2.06390887954e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-5.37397155531e-2f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(1.33314422036e-1f));
        p = Vector512.FusedMultiplyAdd(p, z, Vector512.Create(-3.33332819422e-1f));
        var small = Vector512.FusedMultiplyAdd(p * z, x, x);
        return Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(0.625f)), small, large);
    }
    public Vector512<float> Slope(Vector512<float> y) => Vector512<float>.One - y * y;
}
