using Sparta.Tensors;
namespace Sparta.Kernels;

/// <summary>
/// The spatial geometry of a 2-D sliding window, shared by convolution and pooling: input size,
/// kernel size, stride, the zero border before each axis and the output size it implies.
/// Built only through <see cref="Create(int,int,int,int,int,int,ConvPadding)"/> or the explicit
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
    public int PadTop { get; }
    public int PadLeft { get; }
    public int OutHeight { get; }
    public int OutWidth { get; }

    public int InputPixels => Height * Width;
    public int OutPixels => OutHeight * OutWidth;
    public int KernelPixels => KernelHeight * KernelWidth;

    private ConvWindow(int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        int padTop, int padLeft, int outHeight, int outWidth)
    {
        Height = height; Width = width; KernelHeight = kernelHeight; KernelWidth = kernelWidth;
        StrideHeight = strideHeight; StrideWidth = strideWidth; PadTop = padTop; PadLeft = padLeft;
        OutHeight = outHeight; OutWidth = outWidth;
    }

    /// <summary>A window with 'same' or 'valid' padding.</summary>
    public static ConvWindow Create(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, ConvPadding padding)
    {
        CheckSizes(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth);
        if (padding == ConvPadding.Same)
        {
            var (outH, top) = Same(height, kernelHeight, strideHeight);
            var (outW, left) = Same(width, kernelWidth, strideWidth);
            return new ConvWindow(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, top, left, outH, outW);
        }
        if (padding != ConvPadding.Valid)
            throw new ArgumentOutOfRangeException(nameof(padding), $"padding must be 'same' or 'valid', got {padding}");
        return Create(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, 0, 0, 0, 0);
    }

    /// <summary>A window with explicit zero borders (PyTorch's <c>padding=</c> numbers, possibly uneven).</summary>
    public static ConvWindow Create(int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int padTop, int padBottom, int padLeft, int padRight)
    {
        CheckSizes(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth);
        CheckPad(nameof(padTop), padTop); CheckPad(nameof(padBottom), padBottom);
        CheckPad(nameof(padLeft), padLeft); CheckPad(nameof(padRight), padRight);
        int outH = Explicit(nameof(height), height, padTop + padBottom, kernelHeight, strideHeight);
        int outW = Explicit(nameof(width), width, padLeft + padRight, kernelWidth, strideWidth);
        return new ConvWindow(height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, outH, outW);
    }

    public override string ToString() =>
        $"{Height}x{Width} kernel {KernelHeight}x{KernelWidth} stride {StrideHeight}x{StrideWidth} " +
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

    private static void CheckSizes(int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
    {
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
