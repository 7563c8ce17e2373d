using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sparta.Kernels;

/// <summary>
/// Fused bias add + activation for dense and convolution outputs, and its backward. Data is seen as
/// [outer, channels, inner] with one bias per channel: a dense layer is (batch, features, 1), an NCHW
/// convolution (batch, channels, H·W). Forward may run in place (input and output the same span).
/// <see cref="BiasActivationScalar"/> is the oracle.
/// </summary>
internal static unsafe class BiasActivation
{
    private const int Lanes = 16;

    /// <summary>output = f(input + bias). <paramref name="bias"/> may be empty (no bias).</summary>
    public static void Forward(BiasActivationKind kind, float alpha, int outer, int channels, int inner,
        ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output)
    {
        const string op = "bias activation forward";
        Check(op, kind, alpha, outer, channels, inner);
        Length(op, nameof(input), input.Length, outer, channels, inner);
        Length(op, nameof(output), output.Length, outer, channels, inner);
        if (!bias.IsEmpty) ConvArguments.Length(op, nameof(bias), bias.Length, channels, "channels");
        fixed (float* x = input, b = bias, y = output)
        {
            switch (kind)
            {
                case BiasActivationKind.Identity: Forward(new IdentityOp(), outer, channels, inner, x, b, y); break;
                case BiasActivationKind.Relu: Forward(new ReluOp(), outer, channels, inner, x, b, y); break;
                case BiasActivationKind.LeakyRelu: Forward(new LeakyReluOp(alpha), outer, channels, inner, x, b, y); break;
                case BiasActivationKind.Sigmoid: Forward(new SigmoidOp(), outer, channels, inner, x, b, y); break;
                case BiasActivationKind.Tanh: Forward(new TanhOp(), outer, channels, inner, x, b, y); break;
            }
        }
    }

    /// <summary>
    /// inputGrad = outputGrad · f'(input + bias), read from the forward <paramref name="output"/>; biasGrad = the sum of
    /// inputGrad over outer and inner, in a fixed order. <paramref name="biasGrad"/> may be empty; inputGrad may be outputGrad.
    /// </summary>
    public static void Backward(BiasActivationKind kind, float alpha, int outer, int channels, int inner,
        ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, Span<float> biasGrad)
    {
        const string op = "bias activation backward";
        Check(op, kind, alpha, outer, channels, inner);
        Length(op, nameof(output), output.Length, outer, channels, inner);
        Length(op, nameof(outputGrad), outputGrad.Length, outer, channels, inner);
        Length(op, nameof(inputGrad), inputGrad.Length, outer, channels, inner);
        if (!biasGrad.IsEmpty) ConvArguments.Length(op, nameof(biasGrad), biasGrad.Length, channels, "channels");
        fixed (float* y = output, dy = outputGrad, dx = inputGrad, db = biasGrad)
        {
            switch (kind)
            {
                case BiasActivationKind.Identity: Backward(new IdentityOp(), outer, channels, inner, y, dy, dx, db); break;
                case BiasActivationKind.Relu: Backward(new ReluOp(), outer, channels, inner, y, dy, dx, db); break;
                case BiasActivationKind.LeakyRelu: Backward(new LeakyReluOp(alpha), outer, channels, inner, y, dy, dx, db); break;
                case BiasActivationKind.Sigmoid: Backward(new SigmoidOp(), outer, channels, inner, y, dy, dx, db); break;
                case BiasActivationKind.Tanh: Backward(new TanhOp(), outer, channels, inner, y, dy, dx, db); break;
            }
        }
    }

    /// <summary>y = f(x + bias) over one contiguous run with a single bias value; the convolution's output pass uses it.</summary>
    internal static void ForwardRun(BiasActivationKind kind, float alpha, float* x, float* y, int length, float bias)
    {
        switch (kind)
        {
            case BiasActivationKind.Identity: ForwardRun(new IdentityOp(), x, y, length, null, bias); break;
            case BiasActivationKind.Relu: ForwardRun(new ReluOp(), x, y, length, null, bias); break;
            case BiasActivationKind.LeakyRelu: ForwardRun(new LeakyReluOp(alpha), x, y, length, null, bias); break;
            case BiasActivationKind.Sigmoid: ForwardRun(new SigmoidOp(), x, y, length, null, bias); break;
            case BiasActivationKind.Tanh: ForwardRun(new TanhOp(), x, y, length, null, bias); break;
        }
    }

    /// <summary>The sum of <paramref name="length"/> floats, always added in the same order (16 lanes, then the lanes, then the tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Sum(float* values, int length)
    {
        var acc = Vector512<float>.Zero;
        int i = 0;
        for (; i + Lanes <= length; i += Lanes) acc += Vector512.Load(values + i);
        float sum = Vector512.Sum(acc);
        for (; i < length; i++) sum += values[i];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<TOp>(TOp op, int outer, int channels, int inner, float* x, float* bias, float* y)
        where TOp : struct, IActivationOp
    {
        if (inner == 1)
        {
            // Dense: the bias runs along each row.
            for (int o = 0; o < outer; o++)
                ForwardRun(op, x + (long)o * channels, y + (long)o * channels, channels, bias, 0f);
            return;
        }
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < channels; c++)
        {
            long offset = ((long)o * channels + c) * inner;
            ForwardRun(op, x + offset, y + offset, inner, null, bias == null ? 0f : bias[c]);
        }
    }

    /// <summary>y = f(x + b) over one contiguous run; b comes from <paramref name="biasRow"/> when given, else is <paramref name="biasValue"/>.</summary>
    private static void ForwardRun<TOp>(TOp op, float* x, float* y, int length, float* biasRow, float biasValue)
        where TOp : struct, IActivationOp
    {
        var broadcast = Vector512.Create(biasValue);
        int i = 0;
        for (; i + Lanes <= length; i += Lanes)
        {
            var b = biasRow != null ? Vector512.Load(biasRow + i) : broadcast;
            Vector512.Store(op.Apply(Vector512.Load(x + i) + b), y + i);
        }
        if (i == length) return;
        float* tail = stackalloc float[Lanes];
        float* tailBias = stackalloc float[Lanes];
        int rest = length - i;
        new Span<float>(tail, Lanes).Clear();
        new Span<float>(tailBias, Lanes).Fill(biasValue);
        new ReadOnlySpan<float>(x + i, rest).CopyTo(new Span<float>(tail, rest));
        if (biasRow != null) new ReadOnlySpan<float>(biasRow + i, rest).CopyTo(new Span<float>(tailBias, rest));
        Vector512.Store(op.Apply(Vector512.Load(tail) + Vector512.Load(tailBias)), tail);
        new ReadOnlySpan<float>(tail, rest).CopyTo(new Span<float>(y + i, rest));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<TOp>(TOp op, int outer, int channels, int inner, float* y, float* dy, float* dx, float* biasGrad)
        where TOp : struct, IActivationOp
    {
        if (biasGrad != null) new Span<float>(biasGrad, channels).Clear();
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < (inner == 1 ? 1 : channels); c++)
        {
            long offset = ((long)o * channels + c) * inner;
            int length = inner == 1 ? channels : inner;
            BackwardRun(op, y + offset, dy + offset, dx + offset, length);
            if (biasGrad == null) continue;
            // Dense: add the row to the bias gradient (row order); convolution: add this plane's sum (plane order).
            if (inner == 1) AddRow(biasGrad, dx + offset, channels);
            else biasGrad[c] += Sum(dx + offset, inner);
        }
    }

    private static void BackwardRun<TOp>(TOp op, float* y, float* dy, float* dx, int length) where TOp : struct, IActivationOp
    {
        int i = 0;
        for (; i + Lanes <= length; i += Lanes)
            Vector512.Store(Vector512.Load(dy + i) * op.Slope(Vector512.Load(y + i)), dx + i);
        if (i == length) return;
        float* tailY = stackalloc float[Lanes];
        float* tailGrad = stackalloc float[Lanes];
        int rest = length - i;
        new Span<float>(tailY, Lanes).Clear();
        new Span<float>(tailGrad, Lanes).Clear();
        new ReadOnlySpan<float>(y + i, rest).CopyTo(new Span<float>(tailY, rest));
        new ReadOnlySpan<float>(dy + i, rest).CopyTo(new Span<float>(tailGrad, rest));
        Vector512.Store(Vector512.Load(tailGrad) * op.Slope(Vector512.Load(tailY)), tailGrad);
        new ReadOnlySpan<float>(tailGrad, rest).CopyTo(new Span<float>(dx + i, rest));
    }

    private static void AddRow(float* sum, float* row, int length)
    {
        int i = 0;
        for (; i + Lanes <= length; i += Lanes) Vector512.Store(Vector512.Load(sum + i) + Vector512.Load(row + i), sum + i);
        for (; i < length; i++) sum[i] += row[i];
    }

    private static void Check(string op, BiasActivationKind kind, float alpha, int outer, int channels, int inner)
    {
        CheckActivation(op, kind, alpha);
        if (outer < 0) throw new ArgumentOutOfRangeException(nameof(outer), $"{op}: outer must be non-negative, got {outer}");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), $"{op}: channels must be at least 1, got {channels}");
        if (inner < 1) throw new ArgumentOutOfRangeException(nameof(inner), $"{op}: inner must be at least 1, got {inner}");
    }

    internal static void CheckActivation(string op, BiasActivationKind kind, float alpha)
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), $"{op}: unknown activation {(int)kind}");
        if (kind == BiasActivationKind.LeakyRelu && !(alpha >= 0f && float.IsFinite(alpha)))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"{op}: leaky relu alpha must be finite and non-negative, got {alpha}");
    }

    private static void Length(string op, string name, int length, int outer, int channels, int inner) =>
        ConvArguments.Length(op, name, length, (long)outer * channels * inner, $"outer x channels x inner = {outer}x{channels}x{inner}");
}
