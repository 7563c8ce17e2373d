using System.Numerics.Tensors;
using Sparta.Kernels;

namespace Sparta.Tensors;

public static partial class TensorMath
{
    public static Tensor Add(Tensor a, Tensor b, Tensor? result = null) => Map("add", new AddOperator(), a, b, result);
    public static Tensor Subtract(Tensor a, Tensor b, Tensor? result = null) => Map("sub", new SubtractOperator(), a, b, result);
    public static Tensor Multiply(Tensor a, Tensor b, Tensor? result = null) => Map("mul", new MultiplyOperator(), a, b, result);
    public static Tensor Divide(Tensor a, Tensor b, Tensor? result = null) => Map("div", new DivideOperator(), a, b, result);

    /// <summary>Element-wise larger value; on a tie, a's.</summary>
    public static Tensor Maximum(Tensor a, Tensor b, Tensor? result = null) => Map("maximum", new MaximumOperator(), a, b, result);

    public static Tensor Add(Tensor x, float value, Tensor? result = null) => Map("add", new BindSecond<AddOperator>(new AddOperator(), value), x, result);
    public static Tensor Subtract(Tensor x, float value, Tensor? result = null) => Map("sub", new BindSecond<SubtractOperator>(new SubtractOperator(), value), x, result);
    public static Tensor Multiply(Tensor x, float value, Tensor? result = null) => Map("mul", new BindSecond<MultiplyOperator>(new MultiplyOperator(), value), x, result);
    public static Tensor Divide(Tensor x, float value, Tensor? result = null) => Map("div", new BindSecond<DivideOperator>(new DivideOperator(), value), x, result);

    public static Tensor Negate(Tensor x, Tensor? result = null) => Primitive("neg", x, result, TensorPrimitives.Negate);
    public static Tensor Abs(Tensor x, Tensor? result = null) => Primitive("abs", x, result, TensorPrimitives.Abs);
    public static Tensor Sqrt(Tensor x, Tensor? result = null) => Primitive("sqrt", x, result, TensorPrimitives.Sqrt);
    public static Tensor Exp(Tensor x, Tensor? result = null) => Primitive("exp", x, result, TensorPrimitives.Exp);
    public static Tensor Log(Tensor x, Tensor? result = null) => Primitive("log", x, result, TensorPrimitives.Log);
    public static Tensor Tanh(Tensor x, Tensor? result = null) => Primitive("tanh", x, result, TensorPrimitives.Tanh);

    public static Tensor Pow(Tensor x, float exponent, Tensor? result = null) => Map("pow", new PowerOperator(exponent), x, result);

    public static Tensor Clamp(Tensor x, float min, float max, Tensor? result = null)
    {
        if (!(min <= max)) throw new ArgumentException($"clamp: min ({min}) must not exceed max ({max})");
        return Map("clamp", new ClampOperator(min, max), x, result);
    }

    public static Tensor Sigmoid(Tensor x, Tensor? result = null) => Map("sigmoid", new SigmoidOperator(), x, result);
    public static Tensor Relu(Tensor x, Tensor? result = null) => Map("relu", new ReluOperator(), x, result);
    public static Tensor LeakyRelu(Tensor x, float alpha, Tensor? result = null) => Map("leaky_relu", new LeakyReluOperator(alpha), x, result);
    public static Tensor Elu(Tensor x, float alpha, Tensor? result = null) => Map("elu", new EluOperator(alpha), x, result);
    public static Tensor Softplus(Tensor x, Tensor? result = null) => Map("softplus", new SoftplusOperator(), x, result);
    public static Tensor Swish(Tensor x, Tensor? result = null) => Map("swish", new SwishOperator(), x, result);

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
