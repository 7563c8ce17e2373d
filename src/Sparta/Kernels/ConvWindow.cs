using Sparta.Tensors;
namespace Sparta.Kernels;

/// <summary>
/// The spatial geometry of a 2-D sliding window, shared by convolution and pooling: input size,
/// kernel size, stride, dilation (the step between the input cells one kernel reads, 1 for
/// adjacent cells; the pooling kernels take 1 only, a dilated pool is composed of slices), the zero border before each axis and the output size it implies.
/// Built only through <see cref="Create(int,int,int,int,int,int,ConvPadding,int,int)"/> or the explicit
/// padding overload, which check every number.
/// </summary>
internal readonly record struct ConvWindow
{
    public int Height { get; }
    public int Width { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public int StrideHeight { get; }
    public int StrideWidth { get; }
    public int DilationHeight { get; }
    public int DilationWidth { get; }
    public int PadTop { get; }
    public int PadLeft { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    public int InputPixels => Height * Width;
    public int OutPixels => OutHeight * OutWidth;
    public int KernelPixels => KernelHeight * KernelWidth;

    /// <summary>The rows a dilated kernel spans, (KH − 1)·dilation + 1.</summary>
    public int SpanHeight => (KernelHeight - 1) * DilationHeight + 1;

    /// <summary>The columns a dilated kernel spans, (KW − 1)·dilation + 1.</summary>
    public int SpanWidth => (KernelWidth - 1) * DilationWidth + 1;

    /// <summary>How many of output row <paramref name="row"/>'s kernel rows fall in [<paramref name="from"/>, <paramref name="to"/>) of the input's rows (a border row is below 0 or from the height on).</summary>
    public int RowsInside(int row, int from, int to) => CellsInside(row * StrideHeight - PadTop, KernelHeight, DilationHeight, from, to);

    /// <summary>How many of output column <paramref name="column"/>'s kernel columns fall in [<paramref name="from"/>, <paramref name="to"/>) of the input's columns.</summary>
    public int ColumnsInside(int column, int from, int to) => CellsInside(column * StrideWidth - PadLeft, KernelWidth, DilationWidth, from, to);

    private static int CellsInside(int start, int kernel, int dilation, int from, int to)
    {
        int count = 0;
        for (int k = 0; k < kernel; k++)
        {
            int p = start + k * dilation;
            if (p >= from && p < to) count++;
        }
        return count;
    }

    private ConvWindow(int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int dilationHeight, int dilationWidth, int padTop, int padLeft, int outHeight, int outWidth)
    {
        Height = height; Width = width; KernelHeight = kernelHeight; KernelWidth = kernelWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth; DilationHeight = dilationHeight; DilationWidth = dilationWidth;
        PadTop = padTop; PadLeft = padLeft; OutHeight = outHeight; OutWidth = outWidth;
    }

    /// <summary>A window with 'same' or 'valid' padding (Keras' rules, over the span of the dilated kernel).</summary>
    public static ConvWindow Create(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, ConvPadding padding, int dilationHeight = 1, int dilationWidth = 1)
    {
        CheckSizes(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth);
        if (padding == ConvPadding.Same)
        {
            var (outH, top) = Same(height, (kernelHeight - 1) * dilationHeight + 1, strideHeight);
            var (outW, left) = Same(width, (kernelWidth - 1) * dilationWidth + 1, strideWidth);
            return new ConvWindow(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, top, left, outH, outW);
        }
        if (padding != ConvPadding.Valid)
            throw new ArgumentOutOfRangeException(nameof(padding), $"padding must be 'same' or 'valid', got {padding}");
        return Create(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, 0, 0, 0, 0, dilationHeight, dilationWidth);
    }

    /// <summary>A window with explicit zero borders (PyTorch's <c>padding=</c> numbers, possibly uneven).</summary>
    public static ConvWindow Create(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft, int padRight, int dilationHeight = 1, int dilationWidth = 1)
    {
        CheckSizes(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth);
        CheckPad(nameof(padTop), padTop); CheckPad(nameof(padBottom), padBottom);
        CheckPad(nameof(padLeft), padLeft); CheckPad(nameof(padRight), padRight);
        int outH = Explicit(nameof(height), height, padTop + padBottom, (kernelHeight - 1) * dilationHeight + 1, strideHeight);
        int outW = Explicit(nameof(width), width, padLeft + padRight, (kernelWidth - 1) * dilationWidth + 1, strideWidth);
        return new ConvWindow(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft, outH, outW);
    }

    public override string ToString() =>
        $"{Height}x{Width} kernel {KernelHeight}x{KernelWidth} stride {StrideHeight}x{StrideWidth} " +
        (DilationHeight * DilationWidth == 1 ? "" : $"dilation {DilationHeight}x{DilationWidth} ") +
        $"pad {PadTop},{PadLeft} -> {OutHeight}x{OutWidth}";

    private static (int Out, int Before) Same(int size, int kernel, int stride)
    {
        int output = (size + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + kernel - size, 0);
        return (output, total / 2);
    }

    private static int Explicit(string axis, int size, int pads, int kernel, int stride)
    {
        if (size + pads < kernel)
            throw new ArgumentException($"window: kernel {kernel} is larger than the padded {axis} {size}+{pads}");
        return (size + pads - kernel) / stride + 1;
    }

    private static void CheckSizes(int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int dilationHeight, int dilationWidth)
    {
        CheckPositive(nameof(dilationHeight), dilationHeight); CheckPositive(nameof(dilationWidth), dilationWidth);
        CheckPositive(nameof(height), height); CheckPositive(nameof(width), width);
        CheckPositive(nameof(kernelHeight), kernelHeight); CheckPositive(nameof(kernelWidth), kernelWidth);
        CheckPositive(nameof(strideHeight), strideHeight); CheckPositive(nameof(strideWidth), strideWidth);
    }

    private static void CheckPositive(string name, int value)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, $"window: {name} must be at least 1, got {value}");
    }

    private static void CheckPad(string name, int value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, $"window: {name} must be non-negative, got {value}");
    }
}
