using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

// Arithmetic and elementary functions as element-wise operators for Elementwise.Map.

internal readonly struct AddOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x + y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}

internal readonly struct SubtractOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x - y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x - y;
}

internal readonly struct MultiplyOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x * y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
}

internal readonly struct DivideOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x / y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x / y;
}

/// <summary>The larger of two values; on a tie the first (which also receives the gradient).</summary>
internal readonly struct MaximumOperator : IBinaryOperator
{
    public float Invoke(float x, float y) => x >= y ? x : y;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, y), x, y);
}

/// <summary>1 where x ≥ y, else 0: the share of a maximum's gradient that goes to x.</summary>
internal readonly struct GreaterOrEqualMask : IBinaryOperator
{
    public float Invoke(float x, float y) => x >= y ? 1f : 0f;
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, y), Vector512<float>.One, Vector512<float>.Zero);
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

    public Vector512<float> Invoke(Vector512<float> x)
    {
        if (exponent == 2f) return x * x;
        if (exponent == 1f) return x;
        if (exponent == 0f) return Vector512<float>.One;
        var magnitude = Vector512.Exp(Vector512.Create(exponent) * Vector512.Log(Vector512.Abs(x)));
        var negative = Vector512.LessThan(x, Vector512<float>.Zero);
        if (!_isInteger) return Vector512.ConditionalSelect(negative, Vector512.Create(float.NaN), magnitude);
        return _isOdd ? Vector512.ConditionalSelect(negative, -magnitude, magnitude) : magnitude;
    }
}

/// <summary>x limited to [min, max].</summary>
internal readonly struct ClampOperator(float min, float max) : IUnaryOperator
{
    public float Invoke(float x) => x < min ? min : x > max ? max : x;
    public Vector512<float> Invoke(Vector512<float> x)
    {
        var low = Vector512.Create(min);
        var high = Vector512.Create(max);
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, low), low, x);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, high), high, x);
    }
}
