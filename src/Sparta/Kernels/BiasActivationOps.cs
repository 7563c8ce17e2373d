using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// One activation as a tiny struct: f(x), and f'(x) written in terms of y = f(x) so backward
/// needs only the stored output. The generic loops of <see cref="BiasActivation"/> are specialised
/// by the JIT for each struct. Ragged tails go through the same vector form, so every element is
/// computed the same way wherever it sits in a row.
/// </summary>
internal interface IActivationOp
{
    TVector Apply<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>;
    TVector Slope<TVector>(TVector y) where TVector : struct, IFloatVector<TVector>;
}

internal readonly struct IdentityOp : IActivationOp
{
    public TVector Apply<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => x;
    public TVector Slope<TVector>(TVector y) where TVector : struct, IFloatVector<TVector> => TVector.One;
}

internal readonly struct ReluOp : IActivationOp
{
    public TVector Apply<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => TVector.Max(x, TVector.Zero);
    public TVector Slope<TVector>(TVector y) where TVector : struct, IFloatVector<TVector> => TVector.GreaterThan(y, TVector.Zero) & TVector.One;
}

/// <summary>With alpha ≥ 0, y &gt; 0 exactly when x &gt; 0, which is what lets the slope be read off the output.</summary>
internal readonly struct LeakyReluOp(float alpha) : IActivationOp
{
    public TVector Apply<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> =>
        TVector.Select(TVector.GreaterThan(x, TVector.Zero), x, x * TVector.Create(alpha));
    public TVector Slope<TVector>(TVector y) where TVector : struct, IFloatVector<TVector> =>
        TVector.Select(TVector.GreaterThan(y, TVector.Zero), TVector.One, TVector.Create(alpha));
}

internal readonly struct SigmoidOp : IActivationOp
{
    public TVector Apply<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => TVector.One / (TVector.One + TVector.Exp(-x));
    public TVector Slope<TVector>(TVector y) where TVector : struct, IFloatVector<TVector> => y * (TVector.One - y);
}

/// <summary>
/// tanh x = sign(x)·(1 − e^(−2|x|)) / (1 + e^(−2|x|)): the exponent is never positive, so nothing
/// overflows. Below |x| = 0.625 the difference 1 − e^(−2|x|) cancels and loses relative precision
/// (1e-2 near x = 1e-5, which matters for tiny activations such as a std-0.01 initialization), so
/// there the odd polynomial of Cephes' tanhf is used instead.
/// </summary>
internal readonly struct TanhOp : IActivationOp
{
    public TVector Apply<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
    {
        var magnitude = TVector.Abs(x);
        var t = TVector.Exp(magnitude * TVector.Create(-2f));
        var large = TVector.CopySign((TVector.One - t) / (TVector.One + t), x);
        var z = x * x;
        var p = TVector.FusedMultiplyAdd(z, TVector.Create(-5.70498872745e-3f), TVector.Create(2.06390887954e-2f));
        p = TVector.FusedMultiplyAdd(p, z, TVector.Create(-5.37397155531e-2f));
        p = TVector.FusedMultiplyAdd(p, z, TVector.Create(1.33314422036e-1f));
        p = TVector.FusedMultiplyAdd(p, z, TVector.Create(-3.33332819422e-1f));
        var small = TVector.FusedMultiplyAdd(p * z, x, x);
        return TVector.Select(TVector.LessThan(magnitude, TVector.Create(0.625f)), small, large);
    }
    public TVector Slope<TVector>(TVector y) where TVector : struct, IFloatVector<TVector> => TVector.One - y * y;
}
