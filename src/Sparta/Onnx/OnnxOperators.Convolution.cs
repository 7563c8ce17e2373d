using Sparta.Autograd;
using Sparta.Kernels;
using Sparta.Tensors;

namespace Sparta.Onnx;

// Convolution, pooling and batch normalization over (N, C, H, W) images; 1-D signals (N, C, L) run as images of height 1, volumes (N, C, D, H, W) of pooling axis by axis.
internal static partial class OnnxOperators
{
    private static void AddConvolutionOperators(Dictionary<string, Func<OnnxOpContext, Tensor>> table)
    {
        table["Conv"] = Conv;
        table["MaxPool"] = c => Pool(c, (x, window, _, _) => x.MaxPool2D(window));
        table["AveragePool"] = c => Pool(c, (x, window, height, width) => AveragePool(c, x, window, height, width));
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
        if (x.Rank is not (3 or 4)) throw c.Fail($"only 1-D and 2-D convolutions are supported, got input of shape {x.Shape}");
        var axes = SpatialAxes(c, x, weights.Shape.ToArray()[2..]);
        bool signal = x.Rank == 3;
        if (signal)
        {
            x = x.Reshape(x.Shape[0], x.Shape[1], 1, x.Shape[2]);
            weights = weights.Reshape(weights.Shape[0], weights.Shape[1], 1, weights.Shape[2]);
        }
        int groups = (int)c.Attributes.Int("group", 1);
        var window = signal ? Window(c, SpatialAxis.Single, axes[0]) : Window(c, axes[0], axes[1]);
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

    /// <summary>
    /// Pooling over 1, 2 or 3 spatial axes, each a 2-D pooling: a signal (N, C, L) as an image of height 1;
    /// a volume (N, C, D, H, W) pooled over (H, W) for each depth, then over D, since a box window's maximum,
    /// and its mean over the cells inside (their count is the product of each axis' count), come axis by axis.
    /// </summary>
    private static Tensor Pool(OnnxOpContext c, Func<Tensor, ConvWindow, SpatialAxis, SpatialAxis, Tensor> pool)
    {
        var x = c.Input(0);
        if (x.Rank is < 3 or > 5) throw c.Fail($"only 1-D, 2-D and 3-D pooling is supported, got input of shape {x.Shape}");
        var kernel = c.Attributes.Ints("kernel_shape") ?? throw c.Fail("kernel_shape is missing");
        var axes = SpatialAxes(c, x, kernel.Select(k => (int)k).ToArray());
        int n = x.Shape[0], channels = x.Shape[1];
        Tensor Pool2D(Tensor image, SpatialAxis height, SpatialAxis width) => pool(image, Window(c, height, width), height, width);
        switch (axes.Length)
        {
            case 1:
                var signal = Pool2D(x.Reshape(n, channels, 1, x.Shape[2]), SpatialAxis.Single, axes[0]);
                return signal.Reshape(n, channels, signal.Shape[3]);
            case 2:
                return Pool2D(x, axes[0], axes[1]);
            default:
                var planes = Pool2D(x.Reshape(n, channels * x.Shape[2], x.Shape[3], x.Shape[4]), axes[1], axes[2]);
                int height = planes.Shape[2], width = planes.Shape[3];
                var volume = Pool2D(planes.Reshape(n, channels, x.Shape[2], height * width), axes[0], SpatialAxis.Single with { Size = height * width });
                return volume.Reshape(n, channels, volume.Shape[2], height, width);
        }
    }

    /// <summary>
    /// MaxPool's second output, Indices: where each maximum is in the input flattened whole (batch and
    /// channel included, ONNX's convention), each (H, W) plane row-major (storage_order 0) or column-major
    /// (1); the first maximum in window order, cells of the borders left out. A constant: no gradient.
    /// The positions are int64 in ONNX, held as floats here, so the input must have at most 2^24 cells.
    /// </summary>
    private static Tensor MaxPoolIndices(OnnxOpContext c)
    {
        var x = c.Input(0);
        if (x.Rank is not (3 or 4)) throw c.Fail($"its Indices output is supported for 1-D and 2-D pooling, got input of shape {x.Shape}");
        if (x.Size > 1 << 24) throw c.Fail($"its Indices output numbers the {x.Size} cells of input {x.Shape}; positions beyond 2^24 are not exact in float");
        bool columnMajor = c.Attributes.Int("storage_order", 0) switch
        {
            0 => false,
            1 => true,
            var order => throw c.Fail($"storage_order {order} is not 0 or 1"),
        };
        return Pool(c, (image, window, _, _) => ArgmaxPositions(image, window, columnMajor));
    }

    private static Tensor ArgmaxPositions(Tensor image, ConvWindow w, bool columnMajor)
    {
        int planes = image.Shape[0] * image.Shape[1];
        var positions = Tensor.Uninitialized(new Shape(image.Shape[0], image.Shape[1], w.OutHeight, w.OutWidth));
        var x = image.Span;
        var target = positions.Span;
        for (int plane = 0, o = 0; plane < planes; plane++)
            for (int i = 0; i < w.OutHeight; i++)
                for (int j = 0; j < w.OutWidth; j++, o++)
                {
                    int bestRow = -1, bestColumn = -1;
                    float best = float.NegativeInfinity;
                    for (int p = 0; p < w.KernelHeight; p++)
                    {
                        int row = i * w.StrideHeight - w.PadTop + p * w.DilationHeight;
                        if (row < 0 || row >= w.Height) continue;
                        for (int q = 0; q < w.KernelWidth; q++)
                        {
                            int column = j * w.StrideWidth - w.PadLeft + q * w.DilationWidth;
                            if (column < 0 || column >= w.Width) continue;
                            float value = x[(plane * w.Height + row) * w.Width + column];
                            if (bestRow < 0 || value > best) (best, bestRow, bestColumn) = (value, row, column);
                        }
                    }
                    int inPlane = columnMajor ? bestColumn * w.Height + bestRow : bestRow * w.Width + bestColumn;
                    target[o] = plane * w.InputPixels + inPlane;
                }
        return positions;
    }

    /// <summary>
    /// Sparta's average leaves border cells out; with count_include_pad the cells of the pads count as
    /// zeros (not those ceil_mode adds after them), so the mean is rescaled by (cells inside the image /
    /// cells inside the padded image) at each output.
    /// </summary>
    private static Tensor AveragePool(OnnxOpContext c, Tensor x, ConvWindow window, SpatialAxis height, SpatialAxis width)
    {
        var y = x.AveragePool2D(window);
        if (c.Attributes.Int("count_include_pad", 0) == 0) return y;
        var scale = Tensor.Uninitialized(new Shape(1, 1, window.OutHeight, window.OutWidth));
        var s = scale.Span;
        for (int i = 0; i < window.OutHeight; i++)
            for (int j = 0; j < window.OutWidth; j++)
            {
                float inside = window.RowsInside(i, 0, window.Height) * window.ColumnsInside(j, 0, window.Width);
                float padded = window.RowsInside(i, -height.Before, window.Height + height.PaddedAfter)
                    * window.ColumnsInside(j, -width.Before, window.Width + width.PaddedAfter);
                s[i * window.OutWidth + j] = inside / padded;
            }
        return y * scale;
    }

    /// <summary>
    /// One spatial axis of a window: its size, kernel, stride, dilation, the border before it, the border after
    /// it (ceil_mode's extra cells included) and the border after it that the pads give (without them).
    /// </summary>
    private readonly record struct SpatialAxis(int Size, int Kernel, int Stride, int Dilation, int Before, int After, int PaddedAfter)
    {
        /// <summary>An axis of one cell, read as it is: a signal's height.</summary>
        public static readonly SpatialAxis Single = new(1, 1, 1, 1, 0, 0, 0);

        public int Span => (Kernel - 1) * Dilation + 1;
    }

    private static ConvWindow Window(OnnxOpContext c, SpatialAxis height, SpatialAxis width)
    {
        try
        {
            return ConvWindow.Create(height.Size, width.Size, height.Kernel, width.Kernel, height.Stride, width.Stride,
                height.Before, height.After, width.Before, width.After, height.Dilation, width.Dilation);
        }
        catch (ArgumentException e) { throw c.Fail(e.Message); }
    }

    /// <summary>The spatial axes (those after N and C) of a convolution or pooling node: strides, dilations, explicit pads or auto_pad (over the dilated kernel's span), ceil_mode.</summary>
    private static SpatialAxis[] SpatialAxes(OnnxOpContext c, Tensor x, int[] kernel)
    {
        int rank = x.Rank - 2;
        if (kernel.Length != rank) throw c.Fail($"kernel_shape has {kernel.Length} values for {rank} spatial axes");
        var strides = PerAxis(c, "strides", rank);
        var dilations = PerAxis(c, "dilations", rank);
        var pads = c.Attributes.Ints("pads");
        if (pads is not null && pads.Length != 2 * rank) throw c.Fail($"pads has {pads.Length} values for {rank} spatial axes");
        string autoPad = c.Attributes.String("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "VALID" or "SAME_UPPER" or "SAME_LOWER")) throw c.Fail($"auto_pad '{autoPad}' is not supported");
        bool ceil = c.Attributes.Int("ceil_mode", 0) != 0;
        var axes = new SpatialAxis[rank];
        for (int k = 0; k < rank; k++)
        {
            var axis = new SpatialAxis(x.Shape[k + 2], kernel[k], strides[k], dilations[k], 0, 0, 0);
            var (before, after) = autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => SameBorders(axis, autoPad == "SAME_UPPER"),
                _ when autoPad == "VALID" || pads is null => (0, 0),
                _ => ((int)pads[k], (int)pads[k + rank]),
            };
            int extra = ceil ? CeilExtra(axis.Size + before + after, axis.Span, axis.Stride, axis.Size + before) : 0;
            axes[k] = axis with { Before = before, After = after + extra, PaddedAfter = after };
        }
        return axes;
    }

    /// <summary>auto_pad's borders: the output ceil(size / stride), the odd cell after (SAME_UPPER) or before.</summary>
    private static (int Before, int After) SameBorders(SpatialAxis axis, bool upper)
    {
        int output = (axis.Size + axis.Stride - 1) / axis.Stride;
        int total = Math.Max((output - 1) * axis.Stride + axis.Span - axis.Size, 0);
        return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
    }

    /// <summary>The extra end border ceil_mode needs for a kernel spanning <paramref name="kernel"/> cells, keeping PyTorch's rule that the last window starts inside the input or its leading border.</summary>
    private static int CeilExtra(int padded, int kernel, int stride, int insideEnd)
    {
        int floorOut = (padded - kernel) / stride + 1;
        int ceilOut = (padded - kernel + stride - 1) / stride + 1;
        if (ceilOut > floorOut && (ceilOut - 1) * stride >= insideEnd) ceilOut--;
        return Math.Max((ceilOut - 1) * stride + kernel - padded, 0);
    }

    /// <summary>A per-axis attribute (strides, dilations), 1 on every axis when absent.</summary>
    private static int[] PerAxis(OnnxOpContext c, string name, int rank)
    {
        var values = c.Attributes.Ints(name);
        if (values is null) return Enumerable.Repeat(1, rank).ToArray();
        if (values.Length != rank) throw c.Fail($"{name} has {values.Length} values for {rank} spatial axes");
        return values.Select(v => (int)v).ToArray();
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
