using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// A one-input element-wise operation: a scalar path (the oracle, and the tail of every span) and
/// one vector path written once for every width (128, 256 and 512 bits). Implemented by small
/// structs so the JIT specializes <see cref="Elementwise"/>'s single driver loop for each of them
/// and each width, and inlines the body; a struct may carry parameters (an alpha, an exponent) in its fields.
/// </summary>
internal interface IUnaryOperator
{
    float Invoke(float x);
    TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector>;
}

/// <summary>A two-input element-wise operation; see <see cref="IUnaryOperator"/>.</summary>
internal interface IBinaryOperator
{
    float Invoke(float x, float y);
    TVector Invoke<TVector>(TVector x, TVector y) where TVector : struct, IFloatVector<TVector>;
}

/// <summary>A binary operation whose second operand is one value repeated (broadcast along a row).</summary>
internal readonly struct BindSecond<TOp>(TOp op, float y) : IUnaryOperator where TOp : struct, IBinaryOperator
{
    public float Invoke(float x) => op.Invoke(x, y);
    public TVector Invoke<TVector>(TVector x) where TVector : struct, IFloatVector<TVector> => op.Invoke(x, TVector.Create(y));
}

/// <summary>A binary operation whose first operand is one value repeated (broadcast along a row).</summary>
internal readonly struct BindFirst<TOp>(TOp op, float x) : IUnaryOperator where TOp : struct, IBinaryOperator
{
    public float Invoke(float y) => op.Invoke(x, y);
    public TVector Invoke<TVector>(TVector y) where TVector : struct, IFloatVector<TVector> => op.Invoke(TVector.Create(x), y);
}
