using Sparta.Kernels;

namespace Sparta.Tensors;

public static partial class TensorMath
{
    /// <summary>The sum of all values, as a rank-0 tensor.</summary>
    public static Tensor Sum(Tensor x, Tensor? result = null)
    {
        result = Prepare("sum", result, new Shape());
        result.Span[0] = Reduce.Sum(x.Span);
        return result;
    }

    /// <summary>The mean of all values, as a rank-0 tensor.</summary>
    public static Tensor Mean(Tensor x, Tensor? result = null)
    {
        result = Sum(x, result);
        result.Span[0] /= x.Size;
        return result;
    }

    /// <summary>The largest of all values, as a rank-0 tensor.</summary>
    public static Tensor Max(Tensor x, Tensor? result = null)
    {
        result = Prepare("max", result, new Shape());
        result.Span[0] = x.Span[ArgMax(x)];
        return result;
    }

    /// <summary>The flat (row-major) index of the first largest value.</summary>
    public static int ArgMax(Tensor x) => Reduce.ArgMax(x.Span);

    /// <summary>Sums over <paramref name="axis"/> (negative counts from the end).</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false, Tensor? result = null)
    {
        var (outer, length, inner) = AxisView(x.Shape, axis);
        result = Prepare("sum", result, x.Shape.Reduced(axis, keepDims));
        Reduce.SumAxis(x.Span, outer, length, inner, result.Span);
        return result;
    }

    public static Tensor Mean(Tensor x, int axis, bool keepDims = false, Tensor? result = null)
    {
        result = Sum(x, axis, keepDims, result);
        return Multiply(result, 1f / x.Shape[axis], result);
    }

    /// <summary>Largest value over <paramref name="axis"/>; <paramref name="indices"/> (optional) receives where it was found.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDims = false, Tensor? result = null, int[]? indices = null)
    {
        var (outer, length, inner) = AxisView(x.Shape, axis);
        result = Prepare("max", result, x.Shape.Reduced(axis, keepDims));
        indices ??= new int[result.Size];
        Reduce.MaxAxis(x.Span, outer, length, inner, result.Span, indices);
        return result;
    }

    /// <summary>Index of the largest value along <paramref name="axis"/>, in the shape of x without that axis.</summary>
    public static int[] ArgMax(Tensor x, int axis)
    {
        var indices = new int[x.Size / Math.Max(1, x.Shape[axis])];
        Max(x, axis, indices: indices);
        return indices;
    }

    /// <summary>
    /// The adjoint of picking values along an axis: zeros of <paramref name="shape"/> with
    /// values[o, i] placed at [o, indices[o, i], i] (the gradient of max over an axis).
    /// </summary>
    public static Tensor ScatterAlongAxis(Tensor values, ReadOnlySpan<int> indices, Shape shape, int axis, Tensor? result = null)
    {
        var (outer, length, inner) = AxisView(shape, axis);
        if (values.Size != outer * inner || indices.Length != values.Size)
            throw new ArgumentException($"scatter: {values.Size} values and {indices.Length} indices do not fit shape {shape} reduced over axis {axis}");
        result = Prepare("scatter", result, shape);
        result.Span.Clear();
        var target = result.Span;
        ReadOnlySpan<float> source = values.Span;
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
            target[(o * length + indices[o * inner + i]) * inner + i] = source[o * inner + i];
        return result;
    }

    /// <summary>Repeats x along broadcast dimensions to <paramref name="shape"/> (a copy).</summary>
    public static Tensor BroadcastTo(Tensor x, Shape shape, Tensor? result = null)
    {
        if (!x.Shape.BroadcastsTo(shape))
            throw new ArgumentException($"broadcast_to: shape {x.Shape} does not broadcast to {shape}");
        result = Prepare("broadcast_to", result, shape);
        ElementwiseBroadcast.BroadcastTo(x.Span, x.Shape.Dims, result.Span, shape.Dims);
        return result;
    }

    /// <summary>
    /// Sums x down to <paramref name="shape"/>, which must broadcast to x's shape: the gradient of
    /// broadcasting. Returns x itself when the shapes already agree.
    /// </summary>
    public static Tensor SumTo(Tensor x, Shape shape, Tensor? result = null)
    {
        if (x.Shape == shape && result is null) return x;
        if (!shape.BroadcastsTo(x.Shape))
            throw new ArgumentException($"sum_to: shape {shape} does not broadcast to {x.Shape}");
        result = Prepare("sum_to", result, shape);
        ElementwiseBroadcast.SumTo(x.Span, x.Shape.Dims, result.Span, shape.Dims);
        return result;
    }

    /// <summary>A shape seen as (outer, axis, inner) around one axis.</summary>
    internal static (int Outer, int Length, int Inner) AxisView(Shape shape, int axis)
    {
        int a = shape.Axis(axis);
        int inner = shape.SizeFrom(a + 1);
        return (shape.Size / Math.Max(1, shape[a] * inner), shape[a], inner);
    }
}
