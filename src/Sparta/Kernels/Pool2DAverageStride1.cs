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
        var columnInverse = ColumnInverses(w);
        // rowSum padded with K−1 zeros so every window's K shifted reads stay inside it.
        var padded = new float[w.OutWidth + w.KernelWidth - 1];
        var rowSum = padded.AsSpan(w.PadLeft, w.Width);
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
                padded.AsSpan(0, w.OutWidth).CopyTo(row);
                for (int k = 1; k < w.KernelWidth; k++) TensorPrimitives.Add(row, padded.AsSpan(k, w.OutWidth), row);
                TensorPrimitives.Multiply(row, columnInverse, row);
                TensorPrimitives.Multiply(row, 1f / (h1 - h0), row);
            }
        }
    }

    public static void Backward(ConvWindow w, int planes, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, bool accumulate)
    {
        var columnInverse = ColumnInverses(w);
        var scaled = new float[w.OutPixels];
        // The column sums of one input row over the output rows covering it, with K−1 zeros either side.
        var padded = new float[w.OutWidth + 2 * (w.KernelWidth - 1)];
        var columnSum = padded.AsSpan(w.KernelWidth - 1, w.OutWidth);
        var spread = new float[w.Width];
        for (int plane = 0; plane < planes; plane++)
        {
            var source = outputGrad.Slice(plane * w.OutPixels, w.OutPixels);
            var target = inputGrad.Slice(plane * w.InputPixels, w.InputPixels);
            for (int oh = 0; oh < w.OutHeight; oh++)
            {
                var (h0, h1) = Cover(oh, w.PadTop, w.KernelHeight, w.Height);
                var row = scaled.AsSpan(oh * w.OutWidth, w.OutWidth);
                TensorPrimitives.Multiply(source.Slice(oh * w.OutWidth, w.OutWidth), columnInverse, row);
                TensorPrimitives.Multiply(row, 1f / (h1 - h0), row);
            }
            for (int h = 0; h < w.Height; h++)
            {
                // Output rows whose window covers input row h: oh − PadTop ≤ h < oh − PadTop + K.
                int first = Math.Max(h + w.PadTop - w.KernelHeight + 1, 0), end = Math.Min(h + w.PadTop + 1, w.OutHeight);
                columnSum.Clear();
                for (int oh = first; oh < end; oh++) TensorPrimitives.Add(columnSum, scaled.AsSpan(oh * w.OutWidth, w.OutWidth), columnSum);
                // Input column c gets the outputs ow in [c + PadLeft − K + 1, c + PadLeft]: padded[c + PadLeft .. + K).
                var destination = target.Slice(h * w.Width, w.Width);
                var sum = accumulate ? spread.AsSpan() : destination;
                padded.AsSpan(w.PadLeft, w.Width).CopyTo(sum);
                for (int k = 1; k < w.KernelWidth; k++) TensorPrimitives.Add(sum, padded.AsSpan(w.PadLeft + k, w.Width), sum);
                if (accumulate) TensorPrimitives.Add(destination, sum, destination);
            }
        }
    }

    /// <summary>1 / the number of columns inside the image each output column's window covers.</summary>
    private static float[] ColumnInverses(ConvWindow w)
    {
        var inverse = new float[w.OutWidth];
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
