using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

// Backward passes of element-wise functions: (forward input or output, upstream gradient) →
// gradient with respect to the input, in one pass through the same driver loop as the forward.
// Each struct's summary says which forward value it takes as its first operand.

/// <summary>(x, g) → g where x &gt; 0, else 0.</summary>
internal readonly struct ReluBackward : IBinaryOperator
{
    public float Invoke(float x, float g) => x > 0f ? g : 0f;
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector> => TVector.Select(TVector.GreaterThan(x, TVector.Zero), g, TVector.Zero);
}

/// <summary>(x, g) → g where x &gt; 0, else alpha·g.</summary>
internal readonly struct LeakyReluBackward(float alpha) : IBinaryOperator
{
    public float Invoke(float x, float g) => x > 0f ? g : alpha * g;
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector> => TVector.Select(TVector.GreaterThan(x, TVector.Zero), g, TVector.Create(alpha) * g);
}

/// <summary>(x, g) → g where x &gt; 0, else g·alpha·eˣ.</summary>
internal readonly struct EluBackward(float alpha) : IBinaryOperator
{
    public float Invoke(float x, float g) => x > 0f ? g : g * alpha * MathF.Exp(x);
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector>
        => TVector.Select(TVector.GreaterThan(x, TVector.Zero), g,
            g * TVector.Create(alpha) * ElementwiseExp.Exp(TVector.Min(x, TVector.Zero)));
}

/// <summary>(y = sigmoid(x), g) → g·y·(1 − y).</summary>
internal readonly struct SigmoidBackward : IBinaryOperator
{
    public float Invoke(float y, float g) => g * y * (1f - y);
    public TVector Invoke<TVector>(TVector y, TVector g) where TVector : struct, IFloatVector<TVector> => g * y * (TVector.One - y);
}

/// <summary>(y = tanh(x), g) → g·(1 − y²).</summary>
internal readonly struct TanhBackward : IBinaryOperator
{
    public float Invoke(float y, float g) => g * (1f - y * y);
    public TVector Invoke<TVector>(TVector y, TVector g) where TVector : struct, IFloatVector<TVector> => g * (TVector.One - y * y);
}

/// <summary>(x, g) → g·sigmoid(x).</summary>
internal readonly struct SoftplusBackward : IBinaryOperator
{
    public float Invoke(float x, float g) => g * new SigmoidOperator().Invoke(x);
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector> => g * new SigmoidOperator().Invoke(x);
}

/// <summary>(x, g) → g·(s + x·s·(1 − s)) with s = sigmoid(x).</summary>
internal readonly struct SwishBackward : IBinaryOperator
{
    public float Invoke(float x, float g)
    {
        float s = new SigmoidOperator().Invoke(x);
        return g * (s + x * s * (1f - s));
    }

    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector>
    {
        var s = new SigmoidOperator().Invoke(x);
        return g * (s + x * s * (TVector.One - s));
    }
}

/// <summary>(y = √x, g) → g / (2y).</summary>
internal readonly struct SqrtBackward : IBinaryOperator
{
    public float Invoke(float y, float g) => 0.5f * g / y;
    public TVector Invoke<TVector>(TVector y, TVector g) where TVector : struct, IFloatVector<TVector> => TVector.Create(0.5f) * g / y;
}

/// <summary>(x, g) → g·p·x^(p−1).</summary>
internal readonly struct PowerBackward(float exponent) : IBinaryOperator
{
    private readonly PowerOperator _derivativePower = new(exponent - 1f);
    public float Invoke(float x, float g) => g * exponent * _derivativePower.Invoke(x);
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector> => g * TVector.Create(exponent) * _derivativePower.Invoke(x);
}

/// <summary>(x, g) → g·sign(x), 0 at x = 0.</summary>
internal readonly struct AbsBackward : IBinaryOperator
{
    public float Invoke(float x, float g) => x > 0f ? g : x < 0f ? -g : 0f;
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector>
        => TVector.Select(TVector.GreaterThan(x, TVector.Zero), g,
            TVector.Select(TVector.LessThan(x, TVector.Zero), -g, TVector.Zero));
}

/// <summary>(x, g) → g where min ≤ x ≤ max, else 0 (the clamped region passes no gradient).</summary>
internal readonly struct ClampBackward(float min, float max) : IBinaryOperator
{
    public float Invoke(float x, float g) => x >= min && x <= max ? g : 0f;
    public TVector Invoke<TVector>(TVector x, TVector g) where TVector : struct, IFloatVector<TVector>
    {
        var inside = TVector.GreaterThanOrEqual(x, TVector.Create(min)) & TVector.LessThanOrEqual(x, TVector.Create(max));
        return TVector.Select(inside, g, TVector.Zero);
    }
}
