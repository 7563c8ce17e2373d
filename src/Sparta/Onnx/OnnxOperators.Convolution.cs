using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Onnx;

// Convolution, pooling and batch normalization over (N, C, H, W) images; 1-D signals (N, C, L) run as images of height 1.
internal static partial class OnnxOperators
{
    private static void AddConvolutionOperators(Dictionary<string, Func<OnnxOpContext, Tensor>> table)
    {
        table["Conv"] = Conv;
        table["MaxPool"] = c => Pool(c, (x, window) => window.DilationHeight == 1 && window.DilationWidth == 1 ? x.MaxPool2D(window) : DilatedMaxPool(x, window));
        table["AveragePool"] = c => Pool(c, (x, window) => AveragePool(c, x, window));
        table["GlobalAveragePool"] = c => GlobalPool(c.Input(0), (x, axis) => x.Mean(axis, keepDims: true));
        table["GlobalMaxPool"] = c => GlobalPool(c.Input(0), (x, axis) => x.Max(axis, keepDims: true));
        table["BatchNormalization"] = BatchNormalization;
    }

    /// <summary>Grouped convolution: each group of input channels convolved with its own filters, the outputs joined.</summary>
    private static Tensor Conv(OnnxOpContext c)
    {
        var x = c.Input(0);
        var weights = c.Input(1);
        var bias = c.Optional(2);
        bool signal = x.Rank == 3;
        if (signal)
        {
            x = x.Reshape(x.Shape[0], x.Shape[1], 1, x.Shape[2]);
            weights = weights.Reshape(weights.Shape[0], weights.Shape[1], 1, weights.Shape[2]);
        }
        if (x.Rank != 4) throw c.Fail($"only 1-D and 2-D convolutions are supported, got input of shape {x.Shape}");
        int groups = (int)c.Attributes.Int("group", 1);
        var window = Window(c, x, weights.Shape[2], weights.Shape[3], Spatial(c, "dilations", 1)!);
        Tensor y;
        if (groups == 1) y = x.Conv2D(weights, bias, window);
        else
        {
            int inPerGroup = x.Shape[1] / groups, outPerGroup = weights.Shape[0] / groups;
            if (inPerGroup * groups != x.Shape[1] || weights.Shape[1] != inPerGroup)
                throw c.Fail($"{groups} groups do not divide input {x.Shape} for weights {weights.Shape}");
            var outputs = Enumerable.Range(0, groups).Select(g => x.Narrow(1, g * inPerGroup, inPerGroup)
                .Conv2D(weights.Narrow(0, g * outPerGroup, outPerGroup), bias?.Narrow(0, g * outPerGroup, outPerGroup), window)).ToArray();
            y = Ops.Concat(outputs, 1);
        }
        return signal ? y.Reshape(y.Shape[0], y.Shape[1], y.Shape[3]) : y;
    }

    private static Tensor Pool(OnnxOpContext c, Func<Tensor, ConvWindow, Tensor> pool)
    {
        var x = c.Input(0);
        bool signal = x.Rank == 3;
        if (signal) x = x.Reshape(x.Shape[0], x.Shape[1], 1, x.Shape[2]);
        if (x.Rank != 4) throw c.Fail($"only 1-D and 2-D pooling is supported, got input of shape {x.Shape}");
        var kernel = Spatial(c, "kernel_shape", 0) ?? throw c.Fail("kernel_shape is missing");
        var dilations = Spatial(c, "dilations", 1)!;
        if (dilations.Any(d => d != 1) && c.Attributes.Int("ceil_mode", 0) != 0)
            throw c.Fail($"dilations ({string.Join(", ", dilations)}) with ceil_mode are not supported in pooling");
        var y = pool(x, Window(c, x, kernel[0], kernel[1], dilations));
        return signal ? y.Reshape(y.Shape[0], y.Shape[1], y.Shape[3]) : y;
    }

    /// <summary>
    /// Max pooling whose window reads every d-th cell: the maximum, over the kernel's cells, of the input
    /// shifted to each cell and sampled at the strides, from differentiable slices (so an imported model
    /// trains through it). Borders hold −∞, which a maximum never takes while one cell is inside.
    /// </summary>
    internal static Tensor DilatedMaxPool(Tensor x, ConvWindow w) => DilatedCells(x, w, float.NegativeInfinity, (a, b) => a.Maximum(b));

    /// <summary>
    /// Average pooling whose window reads every d-th cell (opset 19's dilations): the sum of the cells, composed as
    /// <see cref="DilatedMaxPool"/> with zeros at the borders, divided by the cells of each window inside the
    /// image, or by all the kernel's cells when <paramref name="countPadding"/> (count_include_pad).
    /// </summary>
    internal static Tensor DilatedAveragePool(Tensor x, ConvWindow w, bool countPadding)
    {
        var sum = DilatedCells(x, w, 0, (a, b) => a + b);
        var reciprocal = Tensor.Uninitialized(new Shape(1, 1, w.OutHeight, w.OutWidth));
        var r = reciprocal.Span;
        for (int i = 0; i < w.OutHeight; i++)
            for (int j = 0; j < w.OutWidth; j++)
            {
                int rows = Inside(i * w.StrideHeight - w.PadTop, w.KernelHeight, w.DilationHeight, w.Height);
                int columns = Inside(j * w.StrideWidth - w.PadLeft, w.KernelWidth, w.DilationWidth, w.Width);
                r[i * w.OutWidth + j] = 1f / (countPadding ? w.KernelPixels : rows * columns);
            }
        return sum * reciprocal;
    }

    /// <summary>How many of the <paramref name="kernel"/> cells start, start + dilation, ... fall in [0, size).</summary>
    private static int Inside(int start, int kernel, int dilation, int size)
    {
        int count = 0;
        for (int k = 0; k < kernel; k++) count += start + k * dilation is var p && p >= 0 && p < size ? 1 : 0;
        return count;
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
        return Ops.Concat(parts, axis);
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

    /// <summary>
    /// Sparta's average leaves border cells out; with count_include_pad they count as zeros, so the
    /// mean is rescaled by (cells inside / window cells) at each output.
    /// </summary>
    private static Tensor AveragePool(OnnxOpContext c, Tensor x, ConvWindow window)
    {
        if (window.DilationHeight != 1 || window.DilationWidth != 1) return DilatedAveragePool(x, window, c.Attributes.Int("count_include_pad", 0) != 0);
        var y = x.AveragePool2D(window);
        if (c.Attributes.Int("count_include_pad", 0) == 0) return y;
        var scale = Tensor.Uninitialized(new Shape(1, 1, window.OutHeight, window.OutWidth));
        var s = scale.Span;
        for (int i = 0; i < window.OutHeight; i++)
            for (int j = 0; j < window.OutWidth; j++)
            {
                int top = i * window.StrideHeight - window.PadTop, left = j * window.StrideWidth - window.PadLeft;
                int rows = Math.Min(top + window.KernelHeight, window.Height) - Math.Max(top, 0);
                int columns = Math.Min(left + window.KernelWidth, window.Width) - Math.Max(left, 0);
                s[i * window.OutWidth + j] = (float)(rows * columns) / window.KernelPixels;
            }
        return y * scale;
    }

    /// <summary>The window of a convolution or pooling node: strides, dilations, explicit pads or auto_pad (over the dilated kernel's span), ceil_mode.</summary>
    private static ConvWindow Window(OnnxOpContext c, Tensor x, int kernelHeight, int kernelWidth, int[] dilations)
    {
        var strides = Spatial(c, "strides", 1)!;
        int height = x.Shape[2], width = x.Shape[3];
        var (top, bottom) = Borders(c, 0, height, (kernelHeight - 1) * dilations[0] + 1, strides[0]);
        var (left, right) = Borders(c, 1, width, (kernelWidth - 1) * dilations[1] + 1, strides[1]);
        if (c.Attributes.Int("ceil_mode", 0) != 0)
        {
            bottom += CeilExtra(height + top + bottom, kernelHeight, strides[0], height + top);
            right += CeilExtra(width + left + right, kernelWidth, strides[1], width + left);
        }
        try { return ConvWindow.Create(height, width, kernelHeight, kernelWidth, strides[0], strides[1], top, bottom, left, right, dilations[0], dilations[1]); }
        catch (ArgumentException e) { throw c.Fail(e.Message); }
    }

    /// <summary>The padding before and after spatial axis <paramref name="axis"/>: auto_pad's rule, or the pads attribute.</summary>
    private static (int Before, int After) Borders(OnnxOpContext c, int axis, int size, int kernel, int stride)
    {
        string autoPad = c.Attributes.String("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            int output = (size + stride - 1) / stride;
            int total = Math.Max((output - 1) * stride + kernel - size, 0);
            return autoPad == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
        }
        if (autoPad == "VALID") return (0, 0);
        if (autoPad != "NOTSET") throw c.Fail($"auto_pad '{autoPad}' is not supported");
        var pads = c.Attributes.Ints("pads");
        if (pads is null) return (0, 0);
        int spatial = pads.Length / 2;
        int offset = spatial == 1 ? axis - 1 : axis; // a 1-D signal's pads are [begin, end] for its one axis (width)
        return offset < 0 ? (0, 0) : ((int)pads[offset], (int)pads[offset + spatial]);
    }

    /// <summary>The extra end border ceil_mode needs, keeping PyTorch's rule that the last window starts inside the input or its leading border.</summary>
    private static int CeilExtra(int padded, int kernel, int stride, int insideEnd)
    {
        int floorOut = (padded - kernel) / stride + 1;
        int ceilOut = (padded - kernel + stride - 1) / stride + 1;
        if (ceilOut > floorOut && (ceilOut - 1) * stride >= insideEnd) ceilOut--;
        return Math.Max((ceilOut - 1) * stride + kernel - padded, 0);
    }

    /// <summary>A per-axis attribute as (height, width): a 1-D signal's single value goes to the width, height 1.</summary>
    private static int[]? Spatial(OnnxOpContext c, string name, int fallback)
    {
        var values = c.Attributes.Ints(name);
        bool signal = c.Input(0).Rank == 3;
        if (values is null) return fallback == 0 ? null : [fallback, fallback];
        if (values.Length == 1 && signal) return [name == "kernel_shape" ? 1 : fallback, (int)values[0]];
        if (values.Length != 2) throw c.Fail($"{name} has {values.Length} values; only 1-D and 2-D windows are supported");
        return [(int)values[0], (int)values[1]];
    }

    private static Tensor GlobalPool(Tensor x, Func<Tensor, int, Tensor> reduce)
    {
        int[] dims = [x.Shape[0], x.Shape[1], .. Enumerable.Repeat(1, x.Rank - 2)];
        return reduce(x.Reshape(x.Shape[0], x.Shape[1], -1), 2).Reshape(dims);
    }

    /// <summary>
    /// In inference (and when frozen): x·γ/√(var + ε) + (β − mean·γ/√(var + ε)) per channel (axis 1)
    /// with the running statistics. In training, as Sparta's own batch normalization: the batch's mean
    /// and (biased) variance, and the running statistics (the node's state) move as
    /// r ← momentum·r + (1 − momentum)·batch, ONNX's rule (momentum 0.9 unless given; PyTorch's 0.1 is written as 0.9).
    /// </summary>
    private static Tensor BatchNormalization(OnnxOpContext c)
    {
        var x = c.Input(0);
        if (c.Attributes.Int("training_mode", 0) != 0) throw c.Fail("training_mode 1 is not supported (the inference form is)");
        if (c.Training) return BatchNormalizationTraining(c, x);
        int channels = x.Shape[1];
        int[] dims = [1, channels, .. Enumerable.Repeat(1, x.Rank - 2)];
        var deviation = TensorMath.Sqrt(TensorMath.Add(c.Input(4), (float)c.Attributes.Float("epsilon", 1e-5)));
        var factor = c.Input(1) / deviation;
        var shift = c.Input(2) - c.Input(3) * factor;
        return x * factor.Reshape(dims) + shift.Reshape(dims);
    }

    private static Tensor BatchNormalizationTraining(OnnxOpContext c, Tensor x)
    {
        int channels = x.Shape[1];
        Tensor mean = Tensor.Uninitialized(new Shape(channels)), variance = Tensor.Uninitialized(new Shape(channels));
        var y = x.BatchNorm(c.Input(1), c.Input(2), (float)c.Attributes.Float("epsilon", 1e-5), mean, variance);
        float momentum = (float)c.Attributes.Float("momentum", 0.9);
        Layers.BatchNormalization.MoveAverage(c.Input(3), mean, momentum);
        Layers.BatchNormalization.MoveAverage(c.Input(4), variance, momentum);
        return y;
    }
}
