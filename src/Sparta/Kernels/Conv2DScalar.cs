namespace Sparta.Kernels;

/// <summary>
/// The reference convolution: the definition as nested loops, in double. The fast kernels are
/// tested against it, and its double precision makes finite-difference checks of their gradients exact enough.
/// </summary>
internal static class Conv2DScalar
{
    /// <summary>output[n, o, i, j] = bias[o] + Σ weights[o, c, p, q] · input[n, c, i·sh − padTop + p·dh, j·sw − padLeft + q·dw] (zero outside).</summary>
    public static void Forward(Conv2DShape shape, int batch, ReadOnlySpan<double> input, ReadOnlySpan<double> weights,
        ReadOnlySpan<double> bias, Span<double> output)
    {
        const string op = "conv2d scalar";
        var w = shape.Window;
        ConvArguments.Batch(op, batch);
        ConvArguments.Length(op, nameof(input), input.Length, (long)batch * shape.InputSize, "N x C x H x W");
        ConvArguments.Length(op, nameof(weights), weights.Length, shape.WeightCount, "OC x C x KH x KW");
        if (!bias.IsEmpty) ConvArguments.Length(op, nameof(bias), bias.Length, shape.OutChannels, "OC");
        ConvArguments.Length(op, nameof(output), output.Length, (long)batch * shape.OutputSize, "N x OC x OH x OW");
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < shape.OutChannels; o++)
        for (int i = 0; i < w.OutHeight; i++)
        for (int j = 0; j < w.OutWidth; j++)
        {
            double sum = bias.IsEmpty ? 0 : bias[o];
            for (int c = 0; c < shape.Channels; c++)
            for (int p = 0; p < w.KernelHeight; p++)
            for (int q = 0; q < w.KernelWidth; q++)
            {
                int row = i * w.StrideHeight - w.PadTop + p * w.DilationHeight, column = j * w.StrideWidth - w.PadLeft + q * w.DilationWidth;
                if (row < 0 || row >= w.Height || column < 0 || column >= w.Width) continue;
                sum += weights[((o * shape.Channels + c) * w.KernelHeight + p) * w.KernelWidth + q]
                     * input[((n * shape.Channels + c) * w.Height + row) * w.Width + column];
            }
            output[((n * shape.OutChannels + o) * w.OutHeight + i) * w.OutWidth + j] = sum;
        }
    }
}
