using System.Runtime.CompilerServices;
using Sparta.Kernels.Vectors;

namespace Sparta.Kernels;

/// <summary>
/// Fused bias add + activation for dense and convolution outputs, and its backward. Data is seen as
/// [outer, channels, inner] with one bias per channel: a dense layer is (batch, features, 1), an NCHW
/// convolution (batch, channels, H·W). Forward may run in place (input and output the same span).
/// <see cref="BiasActivationScalar"/> is the oracle.
/// </summary>
internal static unsafe class BiasActivation
{
    /// <summary>Floats in the widest vector any width has: the size of the padded tail buffers.</summary>
    private const int MaxLanes = 16;

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
            case BiasActivationKind.Identity: Forward(new IdentityOp(), 1, 1, length, x, &bias, y); break;
            case BiasActivationKind.Relu: Forward(new ReluOp(), 1, 1, length, x, &bias, y); break;
            case BiasActivationKind.LeakyRelu: Forward(new LeakyReluOp(alpha), 1, 1, length, x, &bias, y); break;
            case BiasActivationKind.Sigmoid: Forward(new SigmoidOp(), 1, 1, length, x, &bias, y); break;
            case BiasActivationKind.Tanh: Forward(new TanhOp(), 1, 1, length, x, &bias, y); break;
        }
    }

    /// <summary>The sum of <paramref name="length"/> floats, always added in the same order (the vector's lanes, then the lanes, then the tail).</summary>
    internal static float Sum(float* values, int length)
    {
        if (VectorWidth.Uses512) return Sum<Float512>(values, length);
        if (VectorWidth.Uses256) return Sum<Float256>(values, length);
        return Sum<Float128>(values, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Sum<TVector>(float* values, int length) where TVector : struct, IFloatVector<TVector>
    {
        var acc = TVector.Zero;
        int i = 0;
        for (; i + TVector.Count <= length; i += TVector.Count) acc += TVector.Load(values + i);
        float sum = TVector.Sum(acc);
        for (; i < length; i++) sum += values[i];
        return sum;
    }

    /// <summary>
    /// Below this many elements a second thread costs more than the pass it takes over. A step's passes around
    /// the GEMMs are short (the MLP's first layer is 128x256), but the worker team's threads wait for work meanwhile.
    /// </summary>
    private const int MinPerRange = 1 << 13;

    /// <summary>The forward pass over the outer rows, shared out to the threads by whole rows: every value is computed as on one thread.</summary>
    private static void Forward<TOp>(TOp op, int outer, int channels, int inner, float* x, float* bias, float* y)
        where TOp : struct, IActivationOp
    {
        long row = (long)channels * inner;
        int rowsPerRange = (int)Math.Min(int.MaxValue, Math.Max(1, MinPerRange / row));
        Parallelism.ForRanges(outer, rowsPerRange, 1, new ForwardRows<TOp>(op, channels, inner, x, bias, y));
    }

    private readonly struct ForwardRows<TOp>(TOp op, int channels, int inner, float* x, float* bias, float* y) : IRangeBody
        where TOp : struct, IActivationOp
    {
        public void Run(int start, int end)
        {
            long offset = (long)start * channels * inner;
            ForwardWidest(op, end - start, channels, inner, x + offset, bias, y + offset);
        }
    }

    private static void ForwardWidest<TOp>(TOp op, int outer, int channels, int inner, float* x, float* bias, float* y)
        where TOp : struct, IActivationOp
    {
        if (VectorWidth.Uses512) Forward<TOp, Float512>(op, outer, channels, inner, x, bias, y);
        else if (VectorWidth.Uses256) Forward<TOp, Float256>(op, outer, channels, inner, x, bias, y);
        else Forward<TOp, Float128>(op, outer, channels, inner, x, bias, y);
    }

    /// <summary>One width's forward (the tests run each width against the scalar oracle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Forward<TOp, TVector>(TOp op, int outer, int channels, int inner, float* x, float* bias, float* y)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        if (inner == 1)
        {
            // Dense: the bias runs along each row.
            for (int o = 0; o < outer; o++)
                ForwardRun<TOp, TVector>(op, x + (long)o * channels, y + (long)o * channels, channels, bias, 0f);
            return;
        }
        for (int o = 0; o < outer; o++)
        for (int c = 0; c < channels; c++)
        {
            long offset = ((long)o * channels + c) * inner;
            ForwardRun<TOp, TVector>(op, x + offset, y + offset, inner, null, bias == null ? 0f : bias[c]);
        }
    }

    /// <summary>y = f(x + b) over one contiguous run; b comes from <paramref name="biasRow"/> when given, else is <paramref name="biasValue"/>.</summary>
    private static void ForwardRun<TOp, TVector>(TOp op, float* x, float* y, int length, float* biasRow, float biasValue)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        var broadcast = TVector.Create(biasValue);
        int i = 0;
        for (; i + TVector.Count <= length; i += TVector.Count)
        {
            var b = biasRow != null ? TVector.Load(biasRow + i) : broadcast;
            op.Apply(TVector.Load(x + i) + b).Store(y + i);
        }
        if (i == length) return;
        float* tail = stackalloc float[MaxLanes];
        float* tailBias = stackalloc float[MaxLanes];
        int rest = length - i;
        new Span<float>(tail, MaxLanes).Clear();
        new Span<float>(tailBias, MaxLanes).Fill(biasValue);
        new ReadOnlySpan<float>(x + i, rest).CopyTo(new Span<float>(tail, rest));
        if (biasRow != null) new ReadOnlySpan<float>(biasRow + i, rest).CopyTo(new Span<float>(tailBias, rest));
        op.Apply(TVector.Load(tail) + TVector.Load(tailBias)).Store(tail);
        new ReadOnlySpan<float>(tail, rest).CopyTo(new Span<float>(y + i, rest));
    }

    /// <summary>
    /// Rows of a dense layer's gradient whose bias gradient is summed on its own, row after row, before the blocks' sums
    /// are added in block order. The backward is cut between the threads by whole blocks, as the forward is cut by rows,
    /// so each thread reads back the rows of the activation it wrote (cut by columns, each thread read half of every row
    /// the other wrote: where the two processors share no cache, each such line crossed between them, 4x slower than on
    /// one cache). The blocks are fixed by the row count alone, so the sums do not depend on the thread count; a batch of
    /// up to this many rows is one block, summed as before.
    /// </summary>
    internal const int BiasRowBlock = 64;

    /// <summary>
    /// The backward pass shared out to the threads: a dense layer's by blocks of <see cref="BiasRowBlock"/> rows, a convolution's
    /// by channels (each channel's bias gradient is summed over the same planes in the same order by one thread).
    /// </summary>
    private static void Backward<TOp>(TOp op, int outer, int channels, int inner, float* y, float* dy, float* dx, float* biasGrad)
        where TOp : struct, IActivationOp
    {
        if (inner == 1)
        {
            int blocks = RowBlocks(outer);
            float* sums = BlockSums(blocks, channels, biasGrad);
            int blocksPerRange = (int)Math.Max(1, MinPerRange / ((long)BiasRowBlock * channels));
            Parallelism.ForRanges(blocks, blocksPerRange, 1, new BackwardRowBlocks<TOp>(op, outer, channels, y, dy, dx, sums));
            AddBlockSums(blocks, channels, sums, biasGrad);
            return;
        }
        int channelsPerRange = (int)Math.Min(int.MaxValue, Math.Max(1, MinPerRange / ((long)outer * inner)));
        Parallelism.ForRanges(channels, channelsPerRange, 1,
            new BackwardChannels<TOp>(op, outer, channels, inner, y, dy, dx, biasGrad));
    }

    private static int RowBlocks(int outer) => Math.Max(1, (outer + BiasRowBlock - 1) / BiasRowBlock);

    /// <summary>Where each block of rows sums its bias gradient: the gradient itself for one block, else this thread's buffer; null without a bias.</summary>
    private static float* BlockSums(int blocks, int channels, float* biasGrad) =>
        biasGrad == null || blocks == 1 ? biasGrad : GemmBuffers.BiasSumsForCurrentThread((nuint)((long)blocks * channels));

    /// <summary>The bias gradient: the blocks' sums added in block order (nothing to add for one block, which summed into it).</summary>
    private static void AddBlockSums(int blocks, int channels, float* sums, float* biasGrad)
    {
        if (biasGrad == null || blocks == 1) return;
        var total = new Span<float>(biasGrad, channels);
        total.Clear();
        for (int block = 0; block < blocks; block++)
            System.Numerics.Tensors.TensorPrimitives.Add(total, new ReadOnlySpan<float>(sums + (long)block * channels, channels), total);
    }

    private readonly struct BackwardRowBlocks<TOp>(TOp op, int outer, int channels, float* y, float* dy, float* dx, float* sums)
        : IRangeBody where TOp : struct, IActivationOp
    {
        public void Run(int start, int end)
        {
            for (int block = start; block < end; block++)
            {
                if (VectorWidth.Uses512) BackwardBlock<TOp, Float512>(op, outer, channels, block, y, dy, dx, sums);
                else if (VectorWidth.Uses256) BackwardBlock<TOp, Float256>(op, outer, channels, block, y, dy, dx, sums);
                else BackwardBlock<TOp, Float128>(op, outer, channels, block, y, dy, dx, sums);
            }
        }
    }

    private readonly struct BackwardChannels<TOp>(TOp op, int outer, int channels, int inner, float* y, float* dy, float* dx, float* biasGrad)
        : IRangeBody where TOp : struct, IActivationOp
    {
        public void Run(int start, int end)
        {
            if (VectorWidth.Uses512) Backward<TOp, Float512>(op, outer, channels, inner, start, end, y, dy, dx, biasGrad);
            else if (VectorWidth.Uses256) Backward<TOp, Float256>(op, outer, channels, inner, start, end, y, dy, dx, biasGrad);
            else Backward<TOp, Float128>(op, outer, channels, inner, start, end, y, dy, dx, biasGrad);
        }
    }

    /// <summary>One width's backward (the tests run each width against the scalar oracle).</summary>
    internal static void Backward<TOp, TVector>(TOp op, int outer, int channels, int inner, float* y, float* dy, float* dx, float* biasGrad)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        if (inner != 1)
        {
            Backward<TOp, TVector>(op, outer, channels, inner, 0, channels, y, dy, dx, biasGrad);
            return;
        }
        int blocks = RowBlocks(outer);
        float* sums = BlockSums(blocks, channels, biasGrad);
        for (int block = 0; block < blocks; block++) BackwardBlock<TOp, TVector>(op, outer, channels, block, y, dy, dx, sums);
        AddBlockSums(blocks, channels, sums, biasGrad);
    }

    /// <summary>One width's dense backward of row block <paramref name="block"/>, its bias gradient summed into the block's row of <paramref name="sums"/>.</summary>
    private static void BackwardBlock<TOp, TVector>(TOp op, int outer, int channels, int block, float* y, float* dy, float* dx, float* sums)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        int first = block * BiasRowBlock;
        BackwardRows<TOp, TVector>(op, channels, first, Math.Min(outer, first + BiasRowBlock), y, dy, dx, sums == null ? null : sums + (long)block * channels);
    }

    /// <summary>One width's dense backward of rows [<paramref name="first"/>, <paramref name="end"/>), their bias gradient summed into <paramref name="sum"/> row after row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRows<TOp, TVector>(TOp op, int channels, int first, int end, float* y, float* dy, float* dx, float* sum)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        if (sum != null) new Span<float>(sum, channels).Clear();
        for (int o = first; o < end; o++)
        {
            long offset = (long)o * channels;
            BackwardRun<TOp, TVector>(op, y + offset, dy + offset, dx + offset, channels);
            if (sum != null) AddRow<TVector>(sum, dx + offset, channels);
        }
    }

    /// <summary>One width's convolution backward of channels [<paramref name="first"/>, <paramref name="end"/>): each plane, then its sum added to the bias gradient (plane order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Backward<TOp, TVector>(TOp op, int outer, int channels, int inner, int first, int end,
        float* y, float* dy, float* dx, float* biasGrad)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        if (biasGrad != null) new Span<float>(biasGrad + first, end - first).Clear();
        for (int o = 0; o < outer; o++)
        for (int c = first; c < end; c++)
        {
            long offset = ((long)o * channels + c) * inner;
            BackwardRun<TOp, TVector>(op, y + offset, dy + offset, dx + offset, inner);
            if (biasGrad != null) biasGrad[c] += Sum<TVector>(dx + offset, inner);
        }
    }

    private static void BackwardRun<TOp, TVector>(TOp op, float* y, float* dy, float* dx, int length)
        where TOp : struct, IActivationOp where TVector : struct, IFloatVector<TVector>
    {
        int i = 0;
        for (; i + TVector.Count <= length; i += TVector.Count)
            (TVector.Load(dy + i) * op.Slope(TVector.Load(y + i))).Store(dx + i);
        if (i == length) return;
        float* tailY = stackalloc float[MaxLanes];
        float* tailGrad = stackalloc float[MaxLanes];
        int rest = length - i;
        new Span<float>(tailY, MaxLanes).Clear();
        new Span<float>(tailGrad, MaxLanes).Clear();
        new ReadOnlySpan<float>(y + i, rest).CopyTo(new Span<float>(tailY, rest));
        new ReadOnlySpan<float>(dy + i, rest).CopyTo(new Span<float>(tailGrad, rest));
        (TVector.Load(tailGrad) * op.Slope(TVector.Load(tailY))).Store(tailGrad);
        new ReadOnlySpan<float>(tailGrad, rest).CopyTo(new Span<float>(dx + i, rest));
    }

    private static void AddRow<TVector>(float* sum, float* row, int length) where TVector : struct, IFloatVector<TVector>
    {
        int i = 0;
        for (; i + TVector.Count <= length; i += TVector.Count) (TVector.Load(sum + i) + TVector.Load(row + i)).Store(sum + i);
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
