using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// Softmax and log-softmax over the last axis of a [rows, cols] matrix, and their backward.
/// Each row is shifted by its maximum before exponentiating, so no logit overflows.
/// <see cref="SoftmaxScalar"/> is the oracle.
/// </summary>
internal static unsafe class SoftmaxKernel
{
    private const int Lanes = 16;

    /// <summary>output[r, j] = exp(x[r, j]) / Σ_k exp(x[r, k]). Output may be the input.</summary>
    public static void Forward(int rows, int cols, ReadOnlySpan<float> input, Span<float> output)
    {
        Check("softmax forward", rows, cols, input.Length, nameof(input), output.Length, nameof(output));
        fixed (float* x = input, y = output)
        {
            for (long r = 0; r < rows; r++)
            {
                float* row = x + r * cols, target = y + r * cols;
                float sum = ExpSum(row, RowMax(row, cols), target, cols);
                Scale(target, 1f / sum, cols);
            }
        }
    }

    /// <summary>output[r, j] = x[r, j] − log Σ_k exp(x[r, k]). Output may be the input.</summary>
    public static void LogForward(int rows, int cols, ReadOnlySpan<float> input, Span<float> output)
    {
        Check("log softmax forward", rows, cols, input.Length, nameof(input), output.Length, nameof(output));
        fixed (float* x = input, y = output)
        {
            for (long r = 0; r < rows; r++)
            {
                float* row = x + r * cols, target = y + r * cols;
                float logSum = LogSumExp(row, cols);
                for (int j = 0; j < cols; j++) target[j] = row[j] - logSum;
            }
        }
    }

    /// <summary>inputGrad = y ⊙ (g − Σ_j g_j·y_j) per row, from the softmax output y and upstream gradient g.</summary>
    public static void Backward(int rows, int cols, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad)
    {
        const string op = "softmax backward";
        Check(op, rows, cols, output.Length, nameof(output), inputGrad.Length, nameof(inputGrad));
        Check(op, rows, cols, outputGrad.Length, nameof(outputGrad), inputGrad.Length, nameof(inputGrad));
        for (int r = 0; r < rows; r++)
        {
            var y = output.Slice(r * cols, cols);
            var g = outputGrad.Slice(r * cols, cols);
            var dx = inputGrad.Slice(r * cols, cols);
            float dot = 0;
            for (int j = 0; j < cols; j++) dot += g[j] * y[j];
            for (int j = 0; j < cols; j++) dx[j] = y[j] * (g[j] - dot);
        }
    }

    /// <summary>inputGrad = g − exp(y)·Σ_j g_j per row, from the log-softmax output y and upstream gradient g.</summary>
    public static void LogBackward(int rows, int cols, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad)
    {
        const string op = "log softmax backward";
        Check(op, rows, cols, output.Length, nameof(output), inputGrad.Length, nameof(inputGrad));
        Check(op, rows, cols, outputGrad.Length, nameof(outputGrad), inputGrad.Length, nameof(inputGrad));
        for (int r = 0; r < rows; r++)
        {
            var y = output.Slice(r * cols, cols);
            var g = outputGrad.Slice(r * cols, cols);
            var dx = inputGrad.Slice(r * cols, cols);
            float sum = 0;
            for (int j = 0; j < cols; j++) sum += g[j];
            for (int j = 0; j < cols; j++) dx[j] = g[j] - MathF.Exp(y[j]) * sum;
        }
    }

    /// <summary>log Σ exp(row), computed as max + log Σ exp(row − max).</summary>
    internal static float LogSumExp(float* row, int cols)
    {
        float max = RowMax(row, cols);
        return max + MathF.Log(ExpSum(row, max, null, cols));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float RowMax(float* row, int cols)
    {
        var acc = Vector512.Create(float.NegativeInfinity);
        int j = 0;
        for (; j + Lanes <= cols; j += Lanes) acc = Vector512.Max(acc, Vector512.Load(row + j));
        float max = float.NegativeInfinity;
        for (int lane = 0; lane < Lanes; lane++) max = Math.Max(max, acc.GetElement(lane));
        for (; j < cols; j++) max = Math.Max(max, row[j]);
        return max;
    }

    /// <summary>Σ exp(row − shift) in a fixed order, also storing the terms in <paramref name="terms"/> unless it is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float ExpSum(float* row, float shift, float* terms, int cols)
    {
        var acc = Vector512<float>.Zero;
        var s = Vector512.Create(shift);
        int j = 0;
        for (; j + Lanes <= cols; j += Lanes)
        {
            var e = Vector512.Exp(Vector512.Load(row + j) - s);
            if (terms != null) Vector512.Store(e, terms + j);
            acc += e;
        }
        if (j < cols)
        {
            // The tail goes through the same vector exp, padded with -inf (whose exp adds 0).
            float* tail = stackalloc float[Lanes];
            new Span<float>(tail, Lanes).Fill(float.NegativeInfinity);
            int rest = cols - j;
            new ReadOnlySpan<float>(row + j, rest).CopyTo(new Span<float>(tail, rest));
            var e = Vector512.Exp(Vector512.Load(tail) - s);
            if (terms != null)
            {
                Vector512.Store(e, tail);
                new ReadOnlySpan<float>(tail, rest).CopyTo(new Span<float>(terms + j, rest));
            }
            acc += e;
        }
        return Vector512.Sum(acc);
    }

    internal static void Scale(float* values, float factor, int cols)
    {
        var f = Vector512.Create(factor);
        int j = 0;
        for (; j + Lanes <= cols; j += Lanes) Vector512.Store(Vector512.Load(values + j) * f, values + j);
        for (; j < cols; j++) values[j] *= factor;
    }

    internal static void Check(string op, int rows, int cols, int inputLength, string inputName, int outputLength, string outputName)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"{op}: rows must be non-negative, got {rows}");
        if (cols < 1) throw new ArgumentOutOfRangeException(nameof(cols), $"{op}: cols must be at least 1, got {cols}");
        ConvArguments.Length(op, inputName, inputLength, (long)rows * cols, $"rows x cols = {rows}x{cols}");
        ConvArguments.Length(op, outputName, outputLength, (long)rows * cols, $"rows x cols = {rows}x{cols}");
    }
}
