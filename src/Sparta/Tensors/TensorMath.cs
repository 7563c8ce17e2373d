using Sparta.Kernels;

namespace Sparta.Tensors;

/// <summary>
/// Tensor operations without a tape: shape checks, broadcasting and output allocation around the
/// span kernels. Every operation takes an optional <c>result</c> to write into, so a training loop
/// can allocate its buffers once; without it a new tensor is returned. The differentiable
/// operations (Sparta.Autograd.Ops) are built on these.
/// </summary>
public static partial class TensorMath
{
    /// <summary>result = op(a, b) under NumPy broadcasting.</summary>
    internal static Tensor Map<TOp>(string op, TOp kernel, Tensor a, Tensor b, Tensor? result = null) where TOp : struct, IBinaryOperator
    {
        var shape = Shape.Broadcast(op, a.Shape, b.Shape);
        result = Prepare(op, result, shape);
        if (a.Shape == b.Shape || a.Size == 1 || b.Size == 1)
            Elementwise.Map(kernel, a.Span, b.Span, result.Span);
        else
            ElementwiseBroadcast.Map(kernel, a.Span, a.Shape.Dims, b.Span, b.Shape.Dims, result.Span, shape.Dims);
        return result;
    }

    /// <summary>result = op(x), element by element.</summary>
    internal static Tensor Map<TOp>(string op, TOp kernel, Tensor x, Tensor? result = null) where TOp : struct, IUnaryOperator
    {
        result = Prepare(op, result, x.Shape);
        Elementwise.Map(kernel, x.Span, result.Span);
        return result;
    }

    /// <summary>Returns <paramref name="result"/> after checking its shape, or a new tensor of <paramref name="shape"/>.</summary>
    internal static Tensor Prepare(string op, Tensor? result, Shape shape)
    {
        if (result is null) return Tensor.Uninitialized(shape);
        if (result.Shape != shape)
            throw new ArgumentException($"{op}: result has shape {result.Shape}, expected {shape}");
        return result;
    }
}
