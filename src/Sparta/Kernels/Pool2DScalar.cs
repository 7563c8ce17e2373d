namespace Sparta.Kernels;

/// <summary>The reference pooling: every window cell visited and tested against the image bounds, in double.</summary>
internal static class Pool2DScalar
{
    public static void MaxForward(ConvWindow window, int planes, ReadOnlySpan<double> input, Span<double> output) =>
        Run(window, planes, input, output, max: true);

    public static void AverageForward(ConvWindow window, int planes, ReadOnlySpan<double> input, Span<double> output) =>
        Run(window, planes, input, output, max: false);

    private static void Run(ConvWindow w, int planes, ReadOnlySpan<double> input, Span<double> output, bool max)
    {
        Pool2D.Check(max ? "max pool scalar" : "average pool scalar", w, planes, input.Length, nameof(input), output.Length, nameof(output));
        for (int plane = 0; plane < planes; plane++)
        for (int i = 0; i < w.OutHeight; i++)
        for (int j = 0; j < w.OutWidth; j++)
        {
            double best = double.NegativeInfinity, sum = 0;
            int cells = 0;
            for (int p = 0; p < w.KernelHeight; p++)
            for (int q = 0; q < w.KernelWidth; q++)
            {
                int row = i * w.StrideHeight - w.PadTop + p, column = j * w.StrideWidth - w.PadLeft + q;
                if (row < 0 || row >= w.Height || column < 0 || column >= w.Width) continue;
                double value = input[(plane * w.Height + row) * w.Width + column];
                best = Math.Max(best, value);
                sum += value;
                cells++;
            }
            output[(plane * w.OutHeight + i) * w.OutWidth + j] = max ? best : sum / cells;
        }
    }
}
