using System.Numerics.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// Average pooling with stride 1 (Inception's 3×3 'same' pool branches) as a separable box filter:
/// each output row is the sum of the input rows its windows cover, then the sum of K shifted copies
/// of that row, each step a whole-row vector add; a window's mean divides by its cells inside the
/// image, rows(oh)·cols(ow). Backward is the transposed filter over the output gradient scaled by
/// those counts. The scalar loops of <see cref="Pool2D"/> did K·K scalar adds an output.
/// </summary>
internal static class Pool2DAverageStride1
{
    public static bool Handles(ConvWindow w) => w.StrideHeight == 1 && w.StrideWidth == 1;

    public static void Forward(ConvWindow w, int planes, ReadOnlySpan<float> input, Span<float> output)
    {
        var scratch = Scratch(w.OutWidth + w.OutWidth + w.KernelWidth - 1);
        var columnInverse = ColumnInverses(w, scratch[..w.OutWidth]);
        // rowSum padded with K−1 zeros so every window's K shifted reads stay inside it.
        var padded = scratch[w.OutWidth..];
        var rowSum = padded.Slice(w.PadLeft, w.Width);
        for (int plane = 0; plane < planes; plane++)
        {
            var source = input.Slice(plane * w.InputPixels, w.InputPixels);
            var target = output.Slice(plane * w.OutPixels, w.OutPixels);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                var (h0, h1) = Cover(oh, w.PadTop, w.KernelHeight, w.Height);
                source.Slice(h0 * w.Width, w.Width).CopyTo(rowSum);
                for (int h = h0 + 1; h < h1; h++) TensorPrimitives.Add(rowSum, source.Slice(h * w.Width, w.Width), rowSum);
                var row = target.Slice(oh * w.OutWidth, w.OutWidth);
                padded[..w.OutWidth].CopyTo(row);
                for (int k = 1; k < w.KernelWidth; k++) TensorPrimitives.Add(row, padded.Slice(k, w.OutWidth), row);
                TensorPrimitives.Multiply(row, columnInverse, row);
                TensorPrimitives.Multiply(row, 1f / (h1 - h0), row);
            }
        }
    }

    public static void Backward(ConvWindow w, int planes, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, bool accumulate)
    {
        int paddedLength = w.OutWidth + 2 * (w.KernelWidth - 1);
        var scratch = Scratch(w.OutWidth + w.OutPixels + paddedLength + w.Width);
        var columnInverse = ColumnInverses(w, scratch[..w.OutWidth]);
        var scaled = scratch.Slice(w.OutWidth, w.OutPixels);
        // The column sums of one input row over the output rows covering it, with K−1 zeros either side.
        var padded = scratch.Slice(w.OutWidth + w.OutPixels, paddedLength);
        var columnSum = padded.Slice(w.KernelWidth - 1, w.OutWidth);
        var spread = scratch.Slice(w.OutWidth + w.OutPixels + paddedLength, w.Width);
        for (int plane = 0; plane < planes; plane++)
        {
            var source = outputGrad.Slice(plane * w.OutPixels, w.OutPixels);
            var target = inputGrad.Slice(plane * w.InputPixels, w.InputPixels);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                var (h0, h1) = Cover(oh, w.PadTop, w.KernelHeight, w.Height);
                var row = scaled.Slice(oh * w.OutWidth, w.OutWidth);
                TensorPrimitives.Multiply(source.Slice(oh * w.OutWidth, w.OutWidth), columnInverse, row);
                TensorPrimitives.Multiply(row, 1f / (h1 - h0), row);
            }
            for (int h = 0; h < w.Height; h++)
            {
                // Output rows whose window covers input row h: oh − PadTop ≤ h < oh − PadTop + K.
                int first = Math.Max(h + w.PadTop - w.KernelHeight + 1, 0), end = Math.Min(h + w.PadTop + 1, w.OutHeight);
                columnSum.Clear();
                for (int oh = first; oh < end; oh++) TensorPrimitives.Add(columnSum, scaled.Slice(oh * w.OutWidth, w.OutWidth), columnSum);
                // Input column c gets the outputs ow in [c + PadLeft − K + 1, c + PadLeft]: padded[c + PadLeft .. + K).
                var destination = target.Slice(h * w.Width, w.Width);
                var sum = accumulate ? spread : destination;
                padded.Slice(w.PadLeft, w.Width).CopyTo(sum);
                for (int k = 1; k < w.KernelWidth; k++) TensorPrimitives.Add(sum, padded.Slice(w.PadLeft + k, w.Width), sum);
                if (accumulate) TensorPrimitives.Add(destination, sum, destination);
            }
        }
    }

    [ThreadStatic] private static float[]? _scratch;

    /// <summary>This thread's scratch, <paramref name="length"/> floats of zeros: a training step's calls allocate none.</summary>
    private static Span<float> Scratch(int length)
    {
        if (_scratch is null || _scratch.Length < length) _scratch = new float[length];
        var scratch = _scratch.AsSpan(0, length);
        scratch.Clear();
        return scratch;
    }

    /// <summary>1 / the number of columns inside the image each output column's window covers, into <paramref name="inverse"/>.</summary>
    private static Span<float> ColumnInverses(ConvWindow w, Span<float> inverse)
    {
        for (int ow = 0; ow < w.OutWidth; ow++)
        {
            var (c0, c1) = Cover(ow, w.PadLeft, w.KernelWidth, w.Width);
            inverse[ow] = 1f / (c1 - c0);
        }
        return inverse;
    }

    /// <summary>The input cells [first, end) that window <paramref name="index"/> covers along one axis at stride 1.</summary>
    private static (int First, int End) Cover(int index, int pad, int kernel, int size) =>
        (Math.Max(index - pad, 0), Math.Min(index - pad + kernel, size));
}
