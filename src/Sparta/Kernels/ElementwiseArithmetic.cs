using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

// Arithmetic and elementary functions as element-wise operators for Elementwise.Map.

internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x + y;
    public TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector> => x + y;
}

internal readonly struct SubtractOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x - y;
    public TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector> => x - y;
}

internal readonly struct MultiplyOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x * y;
    public TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector> => x * y;
}

internal readonly struct DivideOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x / y;
    public TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector> => x / y;
}

/// <summary>The larger of two values; on a tie the first (which also receives the gradient).</summary>
internal readonly struct MaximumOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x >= y ? x : y;
    public TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector> => TVector.Select(TVector.GreaterThanOrEqual(x, y), x, y);
}

/// <summary>1 where x ≥ y, else 0: the share of a maximum's gradient that goes to x.</summary>
internal readonly struct GreaterOrEqualMask : IBinaryOperator
{
    public float Invoke(float x, float y) => x >= y ? 1f : 0f;
    public TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector> => TVector.Select(TVector.GreaterThanOrEqual(x, y), TVector.One, TVector.Zero);
}

/// <summary>
/// x^p for a fixed exponent. The vector path computes |x|^p as exp(p·log|x|) and restores the sign
/// for odd integer exponents; p = 2 and p = 1 take exact shortcuts because they are the common cases.
/// A negative base with a fractional exponent gives NaN, as MathF.Pow does.
/// </summary>
internal readonly struct PowerOperator(float exponent) : IUnaryOperator
{
    private readonly bool _isInteger = exponent == MathF.Round(exponent);
    private readonly bool _isOdd = exponent == MathF.Round(exponent) && MathF.Abs(exponent % 2f) == 1f;

    public float Invoke(float x) => MathF.Pow(x, exponent);

    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
    {
        if (exponent == 2f) return x * x;
        if (exponent == 1f) return x;
        if (exponent == 0f) return TVector.One;
        var magnitude = TVector.Exp(TVector.Create(exponent) * TVector.Log(TVector.Abs(x)));
        var negative = TVector.LessThan(x, TVector.Zero);
        if (!_isInteger) return TVector.Select(negative, TVector.Create(float.NaN), magnitude);
        return _isOdd ? TVector.Select(negative, -magnitude, magnitude) : magnitude;
    }
}

/// <summary>x limited to [min, max].</summary>
internal readonly struct ClampOperator(float min, float max) : IUnaryOperator
{
    public float Invoke(float x) => x < min ? min : x > max ? max : x;
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
    {
        var low = TVector.Create(min);
        var high = TVector.Create(max);
        x = TVector.Select(TVector.LessThan(x, low), low, x);
        return TVector.Select(TVector.GreaterThan(x, high), high, x);
    }
}

/// <summary>x·scale + shift with one rounding (a fused multiply-add), for standardization and batch norm.</summary>
internal readonly struct AffineOperator(float scale, float shift) : IUnaryOperator
{
    public float Invoke(float x) => MathF.FusedMultiplyAdd(x, scale, shift);
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>
        => TVector.FusedMultiplyAdd(x, TVector.Create(scale), TVector.Create(shift));
}
