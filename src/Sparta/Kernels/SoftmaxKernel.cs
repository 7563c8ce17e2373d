using System.Runtime.CompilerServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Softmax and log-softmax over the last axis of a [rows, cols] matrix, and their backward.
/// Each row is shifted by its maximum before exponentiating, so no logit overflows.
/// <see cref="SoftmaxScalar"/> is the oracle.
/// </summary>
internal static unsafe class SoftmaxKernel
{
    /// <summary>Floats in the widest vector any width has: the size of the padded tail buffer.</summary>
    private const int MaxLanes = 16;

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

    internal static float RowMax(float* row, int cols)
    {
        if (VectorWidth.Uses512) return RowMax<Float512>(row, cols);
        if (VectorWidth.Uses256) return RowMax<Float256>(row, cols);
        return RowMax<Float128>(row, cols);
    }

    /// <summary>Σ exp(row − shift) in a fixed order, also storing the terms in <paramref name="terms"/> unless it is null.</summary>
    internal static float ExpSum(float* row, float shift, float* terms, int cols)
    {
        if (VectorWidth.Uses512) return ExpSum<Float512>(row, shift, terms, cols);
        if (VectorWidth.Uses256) return ExpSum<Float256>(row, shift, terms, cols);
        return ExpSum<Float128>(row, shift, terms, cols);
    }

    internal static void Scale(float* values, float factor, int cols)
    {
        if (VectorWidth.Uses512) Scale<Float512>(values, factor, cols);
        else if (VectorWidth.Uses256) Scale<Float256>(values, factor, cols);
        else Scale<Float128>(values, factor, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float RowMax<TVector>(float* row, int cols) where TVector : struct, IFloatVector<TVector>
    {
        var acc = TVector.Create(float.NegativeInfinity);
        int j = 0;
        for (; j + TVector.Count <= cols; j += TVector.Count) acc = TVector.Max(acc, TVector.Load(row + j));
        float* lanes = stackalloc float[MaxLanes];
        acc.Store(lanes);
        float max = float.NegativeInfinity;
        for (int lane = 0; lane < TVector.Count; lane++) max = Math.Max(max, lanes[lane]);
        for (; j < cols; j++) max = Math.Max(max, row[j]);
        return max;
    }

    /// <summary>One width's <see cref="ExpSum(float*, float, float*, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float ExpSum<TVector>(float* row, float shift, float* terms, int cols) where TVector : struct, IFloatVector<TVector>
    {
        var acc = TVector.Zero;
        var s = TVector.Create(shift);
        int j = 0;
        for (; j + TVector.Count <= cols; j += TVector.Count)
        {
            var e = TVector.Exp(TVector.Load(row + j) - s);
            if (terms != null) e.Store(terms + j);
            acc += e;
        }
        if (j < cols)
        {
            // The tail goes through the same vector exp, padded with -inf (whose exp adds 0).
            float* tail = stackalloc float[MaxLanes];
            new Span<float>(tail, MaxLanes).Fill(float.NegativeInfinity);
            int rest = cols - j;
            new ReadOnlySpan<float>(row + j, rest).CopyTo(new Span<float>(tail, rest));
            var e = TVector.Exp(TVector.Load(tail) - s);
            if (terms != null)
            {
                e.Store(tail);
                new ReadOnlySpan<float>(tail, rest).CopyTo(new Span<float>(terms + j, rest));
            }
            acc += e;
        }
        return TVector.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scale<TVector>(float* values, float factor, int cols) where TVector : struct, IFloatVector<TVector>
    {
        var f = TVector.Create(factor);
        int j = 0;
        for (; j + TVector.Count <= cols; j += TVector.Count) (TVector.Load(values + j) * f).Store(values + j);
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
