using Sparta.Autograd;

namespace Sparta.Tensors;

// Arithmetic operators, recorded on the tape like the named ops they call. A float operand is a
// rank-0 constant that broadcasts against any shape.
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Subtract(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Multiply(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Divide(a, b);
    public static Tensor operator -(Tensor x) => Ops.Negate(x);

    public static Tensor operator +(Tensor a, float b) => Ops.Add(a, Scalar(b));
    public static Tensor operator +(float a, Tensor b) => Ops.Add(Scalar(a), b);
    public static Tensor operator -(Tensor a, float b) => Ops.Subtract(a, Scalar(b));
    public static Tensor operator -(float a, Tensor b) => Ops.Subtract(Scalar(a), b);
    public static Tensor operator *(Tensor a, float b) => Ops.Multiply(a, Scalar(b));
    public static Tensor operator *(float a, Tensor b) => Ops.Multiply(Scalar(a), b);
    public static Tensor operator /(Tensor a, float b) => Ops.Divide(a, Scalar(b));
    public static Tensor operator /(float a, Tensor b) => Ops.Divide(Scalar(a), b);
}
