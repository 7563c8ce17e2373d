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

/// <summary>tanh x = sign(x)·(1 − e^(−2|x|)) / (1 + e^(−2|x|)): the exponent is never positive, so nothing overflows.</summary>
internal readonly struct TanhOp : IActivationOp
{
    public Vector512<float> Apply(Vector512<float> x)
    {
        var t = Vector512.Exp(Vector512.Abs(x) * -2f);
        return Vector512.CopySign((Vector512<float>.One - t) / (Vector512<float>.One + t), x);
    }
    public Vector512<float> Slope(Vector512<float> y) => Vector512<float>.One - y * y;
}
