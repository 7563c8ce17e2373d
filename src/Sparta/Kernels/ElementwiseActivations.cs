using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

// The element-wise part of the activation functions. Tanh goes through TensorPrimitives (its
// formulas through exp lose accuracy near zero); the structs below cover the others.

internal readonly struct ReluOperator : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : 0f;
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512<float>.Zero);
}

/// <summary>x for x &gt; 0, alpha·x otherwise.</summary>
internal readonly struct LeakyReluOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : alpha * x;
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(alpha) * x);
}

/// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
internal readonly struct EluOperator(float alpha) : IUnaryOperator
{
    public float Invoke(float x) => x > 0f ? x : alpha * (MathF.Exp(x) - 1f);
    public Vector512<float> Invoke(Vector512<float> x)
    {
        // The exponential of the positive lanes is discarded; clamping keeps it from overflowing.
        var negativePart = Vector512.Create(alpha) * (ElementwiseExp.Exp(Vector512.Min(x, Vector512<float>.Zero)) - Vector512<float>.One);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, negativePart);
    }
}

/// <summary>1 / (1 + e⁻ˣ); saturates to exactly 0 or 1 without overflow trouble.</summary>
internal readonly struct SigmoidOperator : IUnaryOperator
{
    public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + ElementwiseExp.Exp(-x));
}

/// <summary>log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so large inputs do not overflow.</summary>
internal readonly struct SoftplusOperator : IUnaryOperator
{
    public float Invoke(float x) => MathF.Max(x, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
    public Vector512<float> Invoke(Vector512<float> x)
        => Vector512.Max(x, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + ElementwiseExp.Exp(-Vector512.Abs(x)));
}

/// <summary>Swish (SiLU): x·sigmoid(x).</summary>
internal readonly struct SwishOperator : IUnaryOperator
{
    public float Invoke(float x) => x * new SigmoidOperator().Invoke(x);
    public Vector512<float> Invoke(Vector512<float> x) => x * new SigmoidOperator().Invoke(x);
}
