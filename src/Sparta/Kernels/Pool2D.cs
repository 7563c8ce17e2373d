using System.Runtime.CompilerServices;

namespace Sparta.Kernels;

/// <summary>
/// Max and average pooling over NCHW data. Pooling treats every (sample, channel) plane alone, so
/// the kernels take the number of planes, N·C. Border cells of a 'same' window are skipped: max
/// ignores them and the average divides by the cells inside the image (Keras's rule). Max pooling
/// records, per output, the index inside its plane of the input it took (the first maximum in
/// window order), which is all its backward needs. <see cref="Pool2DScalar"/> is the oracle.
/// </summary>
internal static unsafe class Pool2D
{
    /// <summary>output = the maximum of each window; <paramref name="argmax"/> = its index h·W + w inside the plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxForward(ConvWindow window, int planes, ReadOnlySpan<float> input, Span<float> output, Span<int> argmax)
    {
        const string op = "max pool forward";
        Check(op, window, planes, input.Length, nameof(input), output.Length, nameof(output));
        ConvArguments.Length(op, nameof(argmax), argmax.Length, (long)planes * window.OutPixels, "planes x OH x OW");
        var w = window;
        fixed (float* x = input, y = output)
        fixed (int* arg = argmax)
        {
            nint xp = (nint)x, yp = (nint)y, ap = (nint)arg;
            Parallelism.ForRanges(planes, PlanesPerThread(w), 1, new MaxForwardPlanes(w, xp, yp, ap));
        }
    }

    // The passes over a range of planes, as structs: a call allocates no closure, split or not (a training step makes four).
    private readonly struct MaxForwardPlanes(ConvWindow w, nint x, nint y, nint argmax) : IRangeBody
    {
        public void Run(int first, int end) =>
            MaxForward(w, end - first, (float*)x + (long)first * w.InputPixels, (float*)y + (long)first * w.OutPixels, (int*)argmax + (long)first * w.OutPixels);
    }

    private readonly struct MaxBackwardPlanes(ConvWindow w, nint dy, nint argmax, nint dx, bool accumulate) : IRangeBody
    {
        public void Run(int first, int end) => MaxBackward(w, first, end, (float*)dy, (int*)argmax, (float*)dx, accumulate);
    }

    /// <summary>
    /// Planes a thread takes at least: about 64K input cells, so the wake-up is paid back. Planes are
    /// independent, so how they are shared out does not change a value.
    /// </summary>
    internal static int PlanesPerThread(in ConvWindow w) => Math.Max(1, (1 << 16) / Math.Max(1, w.InputPixels));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxForward(ConvWindow w, int planes, float* x, float* y, int* arg)
    {
        {
            if (Pool2DMaxAvx512.Handles(w))
            {
                Pool2DMaxAvx512.Forward(w, planes, x, y, arg);
                return;
            }
            if (Pool2DMax2x2.Handles(w))
            {
                Pool2DMax2x2.Forward(w, planes, x, y, arg);
                return;
            }
            if (Pool2DMaxAvx2.Handles(w))
            {
                Pool2DMaxAvx2.Forward(w, planes, x, y, arg);
                return;
            }
            for (long plane = 0; plane < planes; plane++)
            {
                float* source = x + plane * w.InputPixels;
                long outBase = plane * w.OutPixels;
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    var (h0, h1) = Span(oh, w.StrideHeight, w.PadTop, w.KernelHeight, w.Height);
                    for (int ow = 0; ow < w.OutWidth; ow++)
                    {
                        var (w0, w1) = Span(ow, w.StrideWidth, w.PadLeft, w.KernelWidth, w.Width);
                        int best = h0 * w.Width + w0;
                        float max = source[best];
                        for (int h = h0; h < h1; h++)
                        for (int c = w0; c < w1; c++)
                        {
                            // Selects, not a branch: on real activations "is this the new maximum" is a coin toss.
                            int at = h * w.Width + c;
                            float value = source[at];
                            bool greater = value > max;
                            best = greater ? at : best;
                            max = greater ? value : max;
                        }
                        y[outBase + oh * w.OutWidth + ow] = max;
                        arg[outBase + oh * w.OutWidth + ow] = best;
                    }
                }
            }
        }
    }

    /// <summary>inputGrad (=, or += when <paramref name="accumulate"/>) the upstream gradient routed to each recorded maximum.</summary>
    public static void MaxBackward(ConvWindow window, int planes, ReadOnlySpan<float> outputGrad, ReadOnlySpan<int> argmax,
        Span<float> inputGrad, bool accumulate = false)
    {
        const string op = "max pool backward";
        Check(op, window, planes, inputGrad.Length, nameof(inputGrad), outputGrad.Length, nameof(outputGrad));
        ConvArguments.Length(op, nameof(argmax), argmax.Length, (long)planes * window.OutPixels, "planes x OH x OW");
        var w = window;
        fixed (float* dy = outputGrad, dx = inputGrad)
        fixed (int* arg = argmax)
        {
            nint dyp = (nint)dy, dxp = (nint)dx, ap = (nint)arg;
            Parallelism.ForRanges(planes, PlanesPerThread(w), 1, new MaxBackwardPlanes(w, dyp, ap, dxp, accumulate));
        }
    }

    /// <summary>Max pooling's backward for planes [<paramref name="first"/>, <paramref name="end"/>) of the whole tensors' pointers.</summary>
    private static void MaxBackward(ConvWindow w, int first, int end, float* dy, int* argmax, float* dx, bool accumulate)
    {
        const string op = "max pool backward";
        if (Pool2DMaxAvx512.Handles(w))
        {
            Pool2DMaxAvx512.Backward(w, end - first, dy + (long)first * w.OutPixels, argmax + (long)first * w.OutPixels,
                dx + (long)first * w.InputPixels, accumulate);
            return;
        }
        if (Pool2DMax2x2Backward.Handles(w))
        {
            Pool2DMax2x2Backward.Backward(w, end - first, dy + (long)first * w.OutPixels, argmax + (long)first * w.OutPixels,
                dx + (long)first * w.InputPixels, accumulate);
            return;
        }
        if (Pool2DMaxAvx2.Handles(w))
        {
            Pool2DMaxAvx2.Backward(w, end - first, dy + (long)first * w.OutPixels, argmax + (long)first * w.OutPixels,
                dx + (long)first * w.InputPixels, accumulate);
            return;
        }
        var inputGrad = new Span<float>(dx + (long)first * w.InputPixels, (end - first) * w.InputPixels);
        if (!accumulate) inputGrad.Clear();
        for (int plane = first; plane < end; plane++)
        {
            var target = new Span<float>(dx + (long)plane * w.InputPixels, w.InputPixels);
            int t = plane * w.OutPixels;
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                var (h0, h1) = Span(oh, w.StrideHeight, w.PadTop, w.KernelHeight, w.Height);
                for (int ow = 0; ow < w.OutWidth; ow++, t++)
                {
                    // The same check as the AVX-512 path, so a bad index fails alike on every machine.
                    var (w0, w1) = Span(ow, w.StrideWidth, w.PadLeft, w.KernelWidth, w.Width);
                    int at = argmax[t];
                    int row = at / w.Width, column = at % w.Width;
                    if (at < 0 || row < h0 || row >= h1 || column < w0 || column >= w1)
                        throw new ArgumentException($"{op}: argmax[{t}] must be a cell of its window, got {at}", nameof(argmax));
                    target[at] += dy[t];
                }
            }
        }
    }

    /// <summary>output = the mean of the cells of each window that lie inside the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AverageForward(ConvWindow window, int planes, ReadOnlySpan<float> input, Span<float> output)
    {
        Check("average pool forward", window, planes, input.Length, nameof(input), output.Length, nameof(output));
        if (Pool2DAverageStride1.Handles(window))
        {
            Pool2DAverageStride1.Forward(window, planes, input, output);
            return;
        }
        var w = window;
        fixed (float* x = input, y = output)
        {
            for (long plane = 0; plane < planes; plane++)
            {
                float* source = x + plane * w.InputPixels;
                float* target = y + plane * w.OutPixels;
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    var (h0, h1) = Span(oh, w.StrideHeight, w.PadTop, w.KernelHeight, w.Height);
                    for (int ow = 0; ow < w.OutWidth; ow++)
                    {
                        var (w0, w1) = Span(ow, w.StrideWidth, w.PadLeft, w.KernelWidth, w.Width);
                        float sum = 0;
                        for (int h = h0; h < h1; h++)
                        for (int c = w0; c < w1; c++)
                            sum += source[h * w.Width + c];
                        target[oh * w.OutWidth + ow] = sum / ((h1 - h0) * (w1 - w0));
                    }
                }
            }
        }
    }

    /// <summary>inputGrad (=, or += when <paramref name="accumulate"/>) each upstream gradient spread evenly over its window's cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AverageBackward(ConvWindow window, int planes, ReadOnlySpan<float> outputGrad, Span<float> inputGrad,
        bool accumulate = false)
    {
        Check("average pool backward", window, planes, inputGrad.Length, nameof(inputGrad), outputGrad.Length, nameof(outputGrad));
        if (Pool2DAverageStride1.Handles(window))
        {
            Pool2DAverageStride1.Backward(window, planes, outputGrad, inputGrad, accumulate);
            return;
        }
        if (!accumulate) inputGrad.Clear();
        var w = window;
        fixed (float* dy = outputGrad, dx = inputGrad)
        {
            for (long plane = 0; plane < planes; plane++)
            {
                float* source = dy + plane * w.OutPixels;
                float* target = dx + plane * w.InputPixels;
                for (int oh = 0; oh < w.OutHeight; oh++)
                {
                    var (h0, h1) = Span(oh, w.StrideHeight, w.PadTop, w.KernelHeight, w.Height);
                    for (int ow = 0; ow < w.OutWidth; ow++)
                    {
                        var (w0, w1) = Span(ow, w.StrideWidth, w.PadLeft, w.KernelWidth, w.Width);
                        float share = source[oh * w.OutWidth + ow] / ((h1 - h0) * (w1 - w0));
                        for (int h = h0; h < h1; h++)
                        for (int c = w0; c < w1; c++)
                            target[h * w.Width + c] += share;
                    }
                }
            }
        }
    }

    /// <summary>The input cells [first, end) that window <paramref name="index"/> covers along one axis.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int First, int End) Span(int index, int stride, int pad, int kernel, int size)
    {
        int start = index * stride - pad;
        return (Math.Max(start, 0), Math.Min(start + kernel, size));
    }

    internal static void Check(string op, ConvWindow window, int planes, int inputLength, string inputName, int outputLength, string outputName)
    {
        if (window.Height == 0) throw new ArgumentException($"{op}: the window was not built by ConvWindow.Create", nameof(window));
        if (planes < 0) throw new ArgumentOutOfRangeException(nameof(planes), $"{op}: planes must be non-negative, got {planes}");
        // Every window must overlap the image, or it would pool nothing.
        if (window.PadTop >= window.KernelHeight || window.PadLeft >= window.KernelWidth
            || (window.OutHeight - 1) * window.StrideHeight - window.PadTop >= window.Height
            || (window.OutWidth - 1) * window.StrideWidth - window.PadLeft >= window.Width)
            throw new ArgumentException($"{op}: a border as wide as the kernel leaves windows with no input cell: {window}", nameof(window));
        ConvArguments.Length(op, inputName, inputLength, (long)planes * window.InputPixels, $"planes x H x W = {planes}x{window.Height}x{window.Width}");
        ConvArguments.Length(op, outputName, outputLength, (long)planes * window.OutPixels, $"planes x OH x OW = {planes}x{window.OutHeight}x{window.OutWidth}");
    }
}
