using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// A one-input element-wise operation: a scalar path (the oracle, and the tail of every span) and
/// a 16-lane AVX-512 path. Implemented by small structs so the JIT specializes
/// <see cref="Elementwise"/>'s single driver loop for each of them and inlines the body; a struct
/// may carry parameters (an alpha, an exponent) in its fields.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>A two-input element-wise operation; see <see cref="IUnaryOperator"/>.</summary>
internal interface IBinaryOperator
{
    float Invoke(float x, float y);
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary>A binary operation whose second operand is one value repeated (broadcast along a row).</summary>
internal readonly struct BindSecond<TOp>(TOp op, float y) : IUnaryOperator where TOp : struct, IBinaryOperator
{
    private readonly Vector512<float> _y = Vector512.Create(y);
    public float Invoke(float x) => op.Invoke(x, y);
    public Vector512<float> Invoke(Vector512<float> x) => op.Invoke(x, _y);
}

/// <summary>A binary operation whose first operand is one value repeated (broadcast along a row).</summary>
internal readonly struct BindFirst<TOp>(TOp op, float x) : IUnaryOperator where TOp : struct, IBinaryOperator
{
    private readonly Vector512<float> _x = Vector512.Create(x);
    public float Invoke(float y) => op.Invoke(x, y);
    public Vector512<float> Invoke(Vector512<float> y) => op.Invoke(_x, y);
}
