using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

// The element-wise part of the activation functions. Tanh goes through TensorPrimitives (its
// formulas through exp lose accuracy near zero); the structs below cover the others.

internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : 0f;
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => TVector.Select(TVector.GreaterThan(x, TVector.Zero), x, TVector.Zero);
}

/// <summary>x for x &gt; 0, alpha·x otherwise.</summary>
internal readonly struct LeakyReluOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : alpha * x;
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => TVector.Select(TVector.GreaterThan(x, TVector.Zero), x, TVector.Create(alpha) * x);
}

/// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
internal readonly struct EluOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : alpha * (MathF.Exp(x) - 1f);
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
    {
        // The exponential of the positive lanes is discarded; clamping keeps it from overflowing.
        var negativePart = TVector.Create(alpha) * (ElementwiseExp.Exp(TVector.Min(x, TVector.Zero)) - TVector.One);
        return TVector.Select(TVector.GreaterThan(x, TVector.Zero), x, negativePart);
    }
}

/// <summary>1 / (1 + e⁻ˣ); saturates to exactly 0 or 1 without overflow trouble.</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => TVector.One / (TVector.One + ElementwiseExp.Exp(-x));
}

/// <summary>log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so large inputs do not overflow.</summary>
internal readonly struct SoftplusOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
        => TVector.Max(x, TVector.Zero) + TVector.Log(TVector.One + ElementwiseExp.Exp(-TVector.Abs(x)));
}

/// <summary>Swish (SiLU): x·sigmoid(x).</summary>
internal readonly struct SwishOperator : IUnaryOperator
{
    public float Invoke(float x) => x * new SigmoidOperator().Invoke(x);
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => x * new SigmoidOperator().Invoke(x);
}
