using System.Numerics.Tensors;
using Sparta.Kernels;

namespace Sparta.Tensors;

public static partial class TensorMath
{
    public static Tensor Add(Tensor a, Tensor b, Tensor? result = null) => Map("add", new Add(), a, b, result);
    public static Tensor Subtract(Tensor a, Tensor b, Tensor? result = null) => Map("sub", new Subtract(), a, b, result);
    public static Tensor Multiply(Tensor a, Tensor b, Tensor? result = null) => Map("mul", new Multiply(), a, b, result);
    public static Tensor Divide(Tensor a, Tensor b, Tensor? result = null) => Map("div", new Divide(), a, b, result);

    /// <summary>Element-wise larger value; on a tie, a's.</summary>
    public static Tensor Maximum(Tensor a, Tensor b, Tensor? result = null) => Map("maximum", new Maximum(), a, b, result);

    public static Tensor Add(Tensor x, float value, Tensor? result = null) => Map("add", new BindSecond<Add>(new Add(), value), x, result);
    public static Tensor Subtract(Tensor x, float value, Tensor? result = null) => Map("sub", new BindSecond<Subtract>(new Subtract(), value), x, result);
    public static Tensor Multiply(Tensor x, float value, Tensor? result = null) => Map("mul", new BindSecond<Multiply>(new Multiply(), value), x, result);
    public static Tensor Divide(Tensor x, float value, Tensor? result = null) => Map("div", new BindSecond<Divide>(new Divide(), value), x, result);

    public static Tensor Negate(Tensor x, Tensor? result = null) => Primitive("neg", x, result, TensorPrimitives.Negate);
    public static Tensor Abs(Tensor x, Tensor? result = null) => Primitive("abs", x, result, TensorPrimitives.Abs);
    public static Tensor Sqrt(Tensor x, Tensor? result = null) => Primitive("sqrt", x, result, TensorPrimitives.Sqrt);
    public static Tensor Exp(Tensor x, Tensor? result = null) => Primitive("exp", x, result, TensorPrimitives.Exp);
    public static Tensor Log(Tensor x, Tensor? result = null) => Primitive("log", x, result, TensorPrimitives.Log);
    public static Tensor Tanh(Tensor x, Tensor? result = null) => Primitive("tanh", x, result, TensorPrimitives.Tanh);

    public static Tensor Pow(Tensor x, float exponent, Tensor? result = null) => Map("pow", new Power(exponent), x, result);

    public static Tensor Clamp(Tensor x, float min, float max, Tensor? result = null)
    {
        if (!(min <= max)) throw new ArgumentException($"clamp: min ({min}) must not exceed max ({max})");
        return Map("clamp", new Clamp(min, max), x, result);
    }

    public static Tensor Sigmoid(Tensor x, Tensor? result = null) => Map("sigmoid", new Sigmoid(), x, result);
    public static Tensor Relu(Tensor x, Tensor? result = null) => Map("relu", new Relu(), x, result);
    public static Tensor LeakyRelu(Tensor x, float alpha, Tensor? result = null) => Map("leaky_relu", new LeakyRelu(alpha), x, result);
    public static Tensor Elu(Tensor x, float alpha, Tensor? result = null) => Map("elu", new Elu(alpha), x, result);
    public static Tensor Softplus(Tensor x, Tensor? result = null) => Map("softplus", new Softplus(), x, result);
    public static Tensor Swish(Tensor x, Tensor? result = null) => Map("swish", new Swish(), x, result);

    /// <summary>condition ≠ 0 ? a : b, element by element; the three shapes must be equal.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b, Tensor? result = null)
    {
        if (condition.Shape != a.Shape || a.Shape != b.Shape)
            throw new ArgumentException($"where: condition {condition.Shape}, a {a.Shape} and b {b.Shape} must have one shape");
        result = Prepare("where", result, a.Shape);
        ReadOnlySpan<float> c = condition.Span, x = a.Span, y = b.Span;
        var r = result.Span;
        for (int i = 0; i < r.Length; i++) r[i] = c[i] != 0f ? x[i] : y[i];
        return result;
    }

    private delegate void SpanFunction(ReadOnlySpan<float> x, Span<float> result);

    private static Tensor Primitive(string op, Tensor x, Tensor? result, SpanFunction function)
    {
        result = Prepare(op, result, x.Shape);
        function(x.Span, result.Span);
        return result;
    }
}
