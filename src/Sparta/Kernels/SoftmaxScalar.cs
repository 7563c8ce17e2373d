namespace Sparta.Kernels;

/// <summary>The reference softmax, log-softmax and cross-entropy: the formulas row by row, in double.</summary>
internal static class SoftmaxScalar
{
    public static void Forward(int rows, int cols, ReadOnlySpan<double> input, Span<double> output)
    {
        LogForward(rows, cols, input, output);
        for (int i = 0; i < rows * cols; i++) output[i] = Math.Exp(output[i]);
    }

    public static void LogForward(int rows, int cols, ReadOnlySpan<double> input, Span<double> output)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = input.Slice(r * cols, cols);
            double logSum = LogSumExp(row);
            for (int j = 0; j < cols; j++) output[r * cols + j] = row[j] - logSum;
        }
    }

    /// <summary>Mean over rows of −Σ_j targets[r, j]·log softmax(logits[r])_j.</summary>
    public static double CrossEntropy(int rows, int cols, ReadOnlySpan<double> logits, ReadOnlySpan<double> targets)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * cols, cols);
            double logSum = LogSumExp(row);
            for (int j = 0; j < cols; j++) total -= targets[r * cols + j] * (row[j] - logSum);
        }
        return total / rows;
    }

    private static double LogSumExp(ReadOnlySpan<double> row)
    {
        double max = double.NegativeInfinity;
        foreach (double v in row) max = Math.Max(max, v);
        double sum = 0;
        foreach (double v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
