namespace Sparta.Tensors;

public static partial class TensorMath
{
    /// <summary>Reorders the axes: result axis i is x's axis <paramref name="axes"/>[i] (a copy).</summary>
    public static Tensor Permute(Tensor x, int[] axes, Tensor? result = null)
    {
        int rank = x.Rank;
        if (axes.Length != rank || axes.Select(a => a < 0 ? a + rank : a).Distinct().Count(a => a >= 0 && a < rank) != rank)
            throw new ArgumentException($"permute: axes ({string.Join(", ", axes)}) are not a permutation of the {rank} axes of {x.Shape}");
        Span<int> sourceStrides = stackalloc int[rank], dims = stackalloc int[rank], index = stackalloc int[rank];
        var resultDims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int a = x.Shape.Axis(axes[i]);
            resultDims[i] = dims[i] = x.Shape[a];
            sourceStrides[i] = x.Shape.SizeFrom(a + 1);
        }
        result = Prepare("permute", result, new Shape(resultDims));
        ReadOnlySpan<float> source = x.Span;
        var target = result.Span;
        if (rank == 0) { source.CopyTo(target); return result; }
        // When the last axis stays last, whole rows are contiguous on both sides and copied at once.
        int block = sourceStrides[rank - 1] == 1 ? dims[rank - 1] : 1;
        int walked = block > 1 ? rank - 1 : rank;
        int offset = 0;
        // Walks the result in order while the source offset follows the permuted strides.
        for (int i = 0; i < target.Length; i += block)
        {
            if (block == 1) target[i] = source[offset];
            else source.Slice(offset, block).CopyTo(target.Slice(i, block));
            for (int d = walked - 1; d >= 0; d--)
            {
                offset += sourceStrides[d];
                if (++index[d] < dims[d]) break;
                offset -= sourceStrides[d] * dims[d];
                index[d] = 0;
            }
        }
        return result;
    }

    /// <summary>The transpose of a 2-D tensor.</summary>
    public static Tensor Transpose(Tensor x, Tensor? result = null)
    {
        if (x.Rank != 2) throw new ArgumentException($"transpose: expected a 2-D tensor, got shape {x.Shape}");
        return Permute(x, [1, 0], result);
    }

    /// <summary>
    /// Images (N, C, H, W) with <paramref name="padding"/>.Height rows of zeros above and below and
    /// <paramref name="padding"/>.Width columns either side: (N, C, H + 2·height, W + 2·width).
    /// </summary>
    public static Tensor ZeroPad2D(Tensor x, Size2D padding, Tensor? result = null)
    {
        var (planes, height, width) = Planes("zero_pad2d", x, padding);
        result = Prepare("zero_pad2d", result, Shape.Of([x.Shape[0], x.Shape[1], height + 2 * padding.Height, width + 2 * padding.Width]));
        Kernels.ZeroPadding.Pad(x.Span, planes, height, width, padding.Height, padding.Width, result.Span);
        return result;
    }

    /// <summary>The interior of padded images (N, C, H, W) without <paramref name="padding"/>: the adjoint of <see cref="ZeroPad2D"/>.</summary>
    public static Tensor CropPadding2D(Tensor padded, Size2D padding, Tensor? result = null)
    {
        var (planes, height, width) = Planes("crop_padding2d", padded, padding);
        height -= 2 * padding.Height;
        width -= 2 * padding.Width;
        if (height < 0 || width < 0)
            throw new ArgumentException($"crop_padding2d: images of shape {padded.Shape} are smaller than the padding {padding} on both sides");
        result = Prepare("crop_padding2d", result, Shape.Of([padded.Shape[0], padded.Shape[1], height, width]));
        Kernels.ZeroPadding.Crop(padded.Span, planes, height, width, padding.Height, padding.Width, result.Span);
        return result;
    }

    private static (int Planes, int Height, int Width) Planes(string op, Tensor x, Size2D padding)
    {
        if (x.Rank != 4) throw new ArgumentException($"{op}: expected images (N, C, H, W), got shape {x.Shape}");
        if (padding.Height < 0 || padding.Width < 0) throw new ArgumentOutOfRangeException(nameof(padding), $"{op}: padding must be non-negative, got {padding}");
        return (x.Shape[0] * x.Shape[1], x.Shape[2], x.Shape[3]);
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; the other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis, Tensor? result = null)
    {
        if (tensors.Count == 0) throw new ArgumentException("concat: no tensors given");
        var first = tensors[0].Shape;
        int a = first.Axis(axis), total = 0;
        // By index, without LINQ: a training step concatenates every Inception block's branches and allocates nothing for it.
        for (int i = 0; i < tensors.Count; i++)
        {
            var shape = tensors[i].Shape;
            if (shape.Rank != first.Rank || !SameOutside(shape, first, a))
                throw new ArgumentException($"concat: shapes {first} and {shape} differ outside axis {axis}");
            total += shape[a];
        }
        result = Prepare("concat", result, first.With(a, total));
        for (int i = 0, start = 0; i < tensors.Count; start += tensors[i].Shape[a], i++)
        {
            var t = tensors[i];
            CopyAlongAxis(t.Span, t.Shape[a], 0, result.Span, total, start, t.Shape[a], first.SizeFrom(a + 1));
        }
        return result;
    }

    /// <summary>Whether two shapes of one rank agree on every axis but <paramref name="axis"/>.</summary>
    private static bool SameOutside(Shape a, Shape b, int axis)
    {
        for (int d = 0; d < a.Rank; d++)
            if (d != axis && a[d] != b[d]) return false;
        return true;
    }

    /// <summary>Indices [start, start+length) along <paramref name="axis"/> (a copy).</summary>
    public static Tensor Narrow(Tensor x, int axis, int start, int length, Tensor? result = null)
    {
        int a = x.Shape.Axis(axis);
        if (start < 0 || length < 0 || start + length > x.Shape[a])
            throw new ArgumentOutOfRangeException(nameof(start), $"narrow: [{start}, {start + length}) is out of range for axis {axis} of shape {x.Shape}");
        result = Prepare("narrow", result, x.Shape.With(a, length));
        CopyAlongAxis(x.Span, x.Shape[a], start, result.Span, length, 0, length, x.Shape.SizeFrom(a + 1));
        return result;
    }

    /// <summary>The adjoint of <see cref="Narrow"/>: zeros of <paramref name="shape"/> with x placed at [start, start+length) of the axis.</summary>
    public static Tensor Unnarrow(Tensor x, Shape shape, int axis, int start, Tensor? result = null)
    {
        int a = shape.Axis(axis), length = x.Shape[a];
        result = Prepare("unnarrow", result, shape);
        result.Span.Clear();
        CopyAlongAxis(x.Span, length, 0, result.Span, shape[a], start, length, shape.SizeFrom(a + 1));
        return result;
    }

    /// <summary>Rows of x (along axis 0) picked by <paramref name="indices"/>, repeats allowed (index_select / embedding lookup).</summary>
    public static Tensor GatherRows(Tensor x, ReadOnlySpan<int> indices, Tensor? result = null)
    {
        if (x.Rank == 0) throw new ArgumentException("gather_rows: a scalar tensor has no rows");
        var dims = x.Shape.ToArray();
        dims[0] = indices.Length;
        result = Prepare("gather_rows", result, new Shape(dims));
        int row = x.Shape.SizeFrom(1);
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)x.Shape[0])
                throw new ArgumentOutOfRangeException(nameof(indices), $"gather_rows: index {indices[i]} is out of range for {x.Shape[0]} rows");
            x.Span.Slice(indices[i] * row, row).CopyTo(result.Span.Slice(i * row, row));
        }
        return result;
    }

    /// <summary>The adjoint of <see cref="GatherRows"/>: adds each row of x into row indices[i] of a zero tensor of <paramref name="shape"/>, in index order.</summary>
    public static Tensor ScatterAddRows(Tensor x, ReadOnlySpan<int> indices, Shape shape, Tensor? result = null)
    {
        result = Prepare("scatter_add_rows", result, shape);
        result.Span.Clear();
        int row = shape.SizeFrom(1);
        for (int i = 0; i < indices.Length; i++)
        {
            var target = result.Span.Slice(indices[i] * row, row);
            Kernels.Elementwise.Map(new Kernels.AddOperator(), target, x.Span.Slice(i * row, row), target);
        }
        return result;
    }

    /// <summary>Copies `count` slabs of an axis from source (axis length sourceLength, starting at sourceStart) to target, for every outer index.</summary>
    private static void CopyAlongAxis(ReadOnlySpan<float> source, int sourceLength, int sourceStart, Span<float> target, int targetLength, int targetStart, int count, int inner)
    {
        int outer = sourceLength * inner == 0 ? 0 : source.Length / (sourceLength * inner);
        for (int o = 0; o < outer; o++)
            source.Slice((o * sourceLength + sourceStart) * inner, count * inner)
                .CopyTo(target.Slice((o * targetLength + targetStart) * inner, count * inner));
    }
}
