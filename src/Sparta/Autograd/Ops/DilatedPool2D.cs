using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Max pooling whose window reads every d-th cell: the maximum, over the kernel's cells, of the input
    /// shifted to each cell and sampled at the strides, composed of differentiable slices (so the gradient
    /// reaches the cell each output took). Borders hold −∞, which a maximum never takes while one cell is inside.
    /// </summary>
    internal static Tensor DilatedMaxPool2D(Tensor x, ConvWindow w) => DilatedCells(x, w, float.NegativeInfinity, (a, b) => a.Maximum(b));

    /// <summary>
    /// Average pooling whose window reads every d-th cell: the sum of the cells, composed as
    /// <see cref="DilatedMaxPool2D"/> with zeros at the borders, divided by the cells of each window inside the image.
    /// </summary>
    internal static Tensor DilatedAveragePool2D(Tensor x, ConvWindow w) => DilatedCells(x, w, 0, (a, b) => a + b) * ReciprocalCellsInside(w);

    /// <summary>(out height, out width): 1 / the number of each window's cells inside the image.</summary>
    internal static Tensor ReciprocalCellsInside(ConvWindow w)
    {
        var reciprocal = Tensor.Uninitialized(new Shape(w.OutHeight, w.OutWidth));
        var r = reciprocal.Span;
        for (int i = 0; i < w.OutHeight; i++)
            for (int j = 0; j < w.OutWidth; j++)
                r[i * w.OutWidth + j] = 1f / (w.RowsInside(i, 0, w.Height) * w.ColumnsInside(j, 0, w.Width));
        return reciprocal;
    }

    /// <summary>The kernel's cells of every window, combined: each cell is the input shifted to it and sampled at the strides, <paramref name="fill"/> outside the image.</summary>
    private static Tensor DilatedCells(Tensor x, ConvWindow w, float fill, Func<Tensor, Tensor, Tensor> combine)
    {
        int n = x.Shape[0], channels = x.Shape[1];
        // Rows and columns enough for every sampled cell: the last window's span, then whole stride blocks.
        int height = (w.KernelHeight - 1) * w.DilationHeight + w.OutHeight * w.StrideHeight;
        int width = (w.KernelWidth - 1) * w.DilationWidth + w.OutWidth * w.StrideWidth;
        var padded = Border(Border(x, 2, w.PadTop, height - w.PadTop - w.Height, fill), 3, w.PadLeft, width - w.PadLeft - w.Width, fill);
        Tensor? y = null;
        for (int i = 0; i < w.KernelHeight; i++)
        {
            var rows = Every(padded, 2, i * w.DilationHeight, w.OutHeight, w.StrideHeight); // (N, C, OH, width)
            for (int j = 0; j < w.KernelWidth; j++)
            {
                var cells = Every(rows, 3, j * w.DilationWidth, w.OutWidth, w.StrideWidth);
                y = y is null ? cells : combine(y, cells);
            }
        }
        return y!.Reshape(n, channels, w.OutHeight, w.OutWidth);
    }

    /// <summary><paramref name="x"/> with <paramref name="before"/> and <paramref name="after"/> cells of <paramref name="fill"/> along <paramref name="axis"/> (a negative count cuts instead).</summary>
    private static Tensor Border(Tensor x, int axis, int before, int after, float fill)
    {
        if (after < 0) { x = x.Narrow(axis, 0, x.Shape[axis] + after); after = 0; }
        if (before == 0 && after == 0) return x;
        Tensor Fill(int count)
        {
            var dims = x.Shape.ToArray();
            dims[axis] = count;
            return Tensor.Full(fill, new Shape(dims));
        }
        var parts = new List<Tensor>();
        if (before > 0) parts.Add(Fill(before));
        parts.Add(x);
        if (after > 0) parts.Add(Fill(after));
        return Concat(parts, axis);
    }

    /// <summary>Cells start, start + stride, ... (<paramref name="count"/> of them) along <paramref name="axis"/>: a slice cut into stride blocks, each block's first cell kept.</summary>
    private static Tensor Every(Tensor x, int axis, int start, int count, int stride)
    {
        var slice = x.Narrow(axis, start, count * stride);
        if (stride == 1) return slice;
        var dims = slice.Shape.ToArray();
        int[] blocks = [.. dims[..axis], count, stride, .. dims[(axis + 1)..]];
        dims[axis] = count;
        return slice.Reshape(blocks).Narrow(axis + 1, 0, 1).Reshape(dims);
    }
}
