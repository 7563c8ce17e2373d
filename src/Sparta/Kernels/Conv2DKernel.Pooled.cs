namespace Sparta.Kernels;

/// <summary>
/// A ReLU convolution and the max pooling after it as one training op, in the channels-blocked layout: the
/// forward pass writes the pooled output and, per pooled value and channel, the window cell it came from;
/// the convolution's full output is never written. The backward pass rebuilds each sample's pre-activation
/// gradient in cache from the pooled gradient, ReLU's slope at the pooled output and those cells (3 of 4
/// values are 0 for a 2x2 window), and feeds it straight to the blocked weight- and input-gradient kernels.
/// The values are those of the convolution, the pooling and their backward passes run one by one, bit for
/// bit: the same products summed in the same order.
/// </summary>
internal static unsafe partial class Conv2DKernel
{
    /// <summary>
    /// The lanes at which a ReLU convolution of <paramref name="shape"/> and max pooling over <paramref name="pool"/>
    /// train as one op here (the input gradient wanted when <paramref name="input"/>), 0 when they run apart:
    /// every kernel blocked at one width, and pooling windows that tile the output without overlapping.
    /// </summary>
    public static int PooledLanes(Conv2DShape shape, ConvWindow pool, bool input) =>
        Conv2DBlocked.LanesFor(shape) is > 0 and var lanes && TakesPooled(shape, pool, lanes, input) ? lanes : 0;

    /// <summary>Whether <see cref="PooledLanes"/>' kernels take the shape at <paramref name="lanes"/> (the backward keeps the forward's lanes).</summary>
    private static bool TakesPooled(Conv2DShape shape, ConvWindow pool, int lanes, bool input) =>
        Conv2DBlocked.Runs(lanes) && Conv2DBlocked.Fits(shape, lanes) && pool.Height == shape.Window.OutHeight && pool.Width == shape.Window.OutWidth
        && Conv2DBlockedPool.Tiles(pool) && Conv2DBlockedWeightGradient.Handles(shape, lanes) && (!input || Conv2DBlockedInputGradient.Handles(shape, lanes));

    /// <summary>Floats of one sample's window cells (<see cref="ForwardPooled"/>): the pooled pixels of every channel group.</summary>
    public static int PooledCellsLength(Conv2DShape shape, ConvWindow pool, int lanes) =>
        Conv2DBlocked.BlockedLength(shape, lanes) / shape.Window.OutPixels * pool.OutPixels;

    /// <summary>
    /// output = max pooling over <paramref name="pool"/> of ReLU(conv(input) + bias), NCHW, from weights packed at
    /// <see cref="PooledLanes"/>; <paramref name="cells"/> (<see cref="PooledCellsLength"/> a sample) gets the window cell
    /// of each pooled value, for <see cref="BackwardPooled"/>.
    /// </summary>
    public static void ForwardPooled(Conv2DShape shape, ConvWindow pool, int batch, ReadOnlySpan<float> input, Conv2DPackedWeights packed,
        Span<float> output, Span<float> cells, Conv2DWorkspace workspace)
    {
        const string op = "conv2d max pool forward";
        CheckPooled(op, shape, pool, packed.Lanes, batch, workspace);
        if (packed.Shape != shape) throw new ArgumentException($"{op}: the packed weights are for {packed.Shape}, not {shape}", nameof(packed));
        ConvArguments.Length(op, nameof(input), input.Length, (long)batch * shape.InputSize,
            $"N x C x H x W = {batch}x{shape.Channels}x{shape.Window.Height}x{shape.Window.Width}");
        ConvArguments.Length(op, nameof(output), output.Length, (long)batch * shape.OutChannels * pool.OutPixels, "N x OC x pooled H x pooled W");
        ConvArguments.Length(op, nameof(cells), cells.Length, (long)batch * PooledCellsLength(shape, pool, packed.Lanes), "N x the blocked pooled planes");
        fixed (float* x = input, y = output, taken = cells)
            Conv2DBlockedChain.Forward(packed.Alone(BiasActivationKind.Relu, 0f, pool), batch, x, y, workspace, taken);
    }

    /// <summary>
    /// The gradients of <see cref="ForwardPooled"/> from the pooled output's gradient: weightGrad and biasGrad (= summed
    /// over the batch; <paramref name="biasGrad"/> may be empty) and, unless it is empty, inputGrad (=). What the pooling's
    /// backward, ReLU's and the convolution's give one after another, bit for bit.
    /// </summary>
    public static void BackwardPooled(Conv2DShape shape, ConvWindow pool, int lanes, int batch, ReadOnlySpan<float> input,
        ReadOnlySpan<float> pooledGrad, ReadOnlySpan<float> pooledOutput, ReadOnlySpan<float> cells, ReadOnlySpan<float> weights,
        Span<float> inputGrad, Span<float> weightGrad, Span<float> biasGrad, Conv2DWorkspace workspace)
    {
        const string op = "conv2d max pool backward";
        bool wantInput = !inputGrad.IsEmpty;
        CheckPooled(op, shape, pool, lanes, batch, workspace, wantInput);
        CheckCommon(op, shape, batch, input.Length, nameof(input), weightGrad.Length, nameof(weightGrad), workspace);
        if (wantInput) CheckCommon(op, shape, batch, inputGrad.Length, nameof(inputGrad), weights.Length, nameof(weights), workspace);
        if (!biasGrad.IsEmpty) ConvArguments.Length(op, nameof(biasGrad), biasGrad.Length, shape.OutChannels, "OC");
        long pooledLength = (long)batch * shape.OutChannels * pool.OutPixels;
        ConvArguments.Length(op, nameof(pooledGrad), pooledGrad.Length, pooledLength, "N x OC x pooled H x pooled W");
        ConvArguments.Length(op, nameof(pooledOutput), pooledOutput.Length, pooledLength, "N x OC x pooled H x pooled W");
        ConvArguments.Length(op, nameof(cells), cells.Length, (long)batch * PooledCellsLength(shape, pool, lanes), "N x the blocked pooled planes");
        if (batch == 0)
        {
            weightGrad.Clear();
            biasGrad.Clear();
            return;
        }
        // Taken only with the input gradient: a stride-2 convolution has none.
        var transposed = wantInput ? Conv2DBlockedInputGradient.Transposed(shape)!.Value : default;
        Conv2DPackedWeights? flipped = null;
        if (wantInput)
        {
            var values = workspace.Flipped(shape.WeightCount);
            Conv2DBlockedInputGradient.Flip(shape, weights, values);
            flipped = workspace.PackedForInputGradient(transposed, lanes, values);
        }
        var chunks = ConvBatchChunks.For(batch, shape.Window.OutPixels);
        var layout = new PooledScratch(shape, transposed, pool, lanes, wantInput);
        workspace.Reserve(chunks.Workers, Conv2DBlockedWeightGradient.ScratchLength(shape, lanes), layout.Length);
        int partialSize = shape.WeightCount + shape.OutChannels, weightOffsets = Conv2DBlockedWeightGradient.OffsetCount(shape);
        bool direct = chunks.Count == 1;
        float* partials = direct ? null : workspace.Partials(chunks.Count * partialSize);
        fixed (float* x = input, dp = pooledGrad, yp = pooledOutput, taken = cells, dx = inputGrad, dw = weightGrad, db = biasGrad)
        fixed (int* offsets = workspace.Offsets(weightOffsets + (wantInput ? Conv2DBlocked.OffsetCount(transposed) : 0)))
        {
            Conv2DBlockedWeightGradient.Offsets(shape, offsets);
            if (wantInput) Conv2DBlocked.Offsets(transposed, offsets + weightOffsets, lanes);
            var gradient = new PooledGradient(shape, transposed, pool, lanes, layout, dp, yp, taken, dx, flipped, offsets + weightOffsets);
            chunks.Run(new PooledBackwardChunk(shape, lanes, x, offsets, gradient, direct, dw, db, partials, workspace));
        }
        if (!direct) AddChunkSums(shape, chunks.Count, new Span<float>(partials, chunks.Count * partialSize), false, weightGrad, biasGrad, false);
    }

    private static void CheckPooled(string op, Conv2DShape shape, ConvWindow pool, int lanes, int batch, Conv2DWorkspace workspace, bool input = false)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (shape.Channels == 0) throw new ArgumentException($"{op}: the shape was not built by its constructor", nameof(shape));
        ConvArguments.Batch(op, batch);
        if (!TakesPooled(shape, pool, lanes, input))
            throw new ArgumentException($"{op}: the blocked kernels do not take {shape} pooled by {pool} at {lanes} lanes", nameof(lanes));
    }

    /// <summary>
    /// Where a worker's staging buffer holds, for <see cref="BackwardPooled"/>: a sample's pooled gradient in the blocked
    /// layout, then (the input gradient wanted) the bordered pre-activation gradient and the blocked input gradient.
    /// </summary>
    private readonly struct PooledScratch
    {
        public PooledScratch(Conv2DShape shape, Conv2DShape transposed, ConvWindow pool, int lanes, bool input)
        {
            Bordered = Aligned(PooledCellsLength(shape, pool, lanes));
            Blocked = Aligned(Bordered + (input ? Conv2DBlocked.BorderedLength(transposed, lanes) : 0));
            Length = Blocked + (input ? Conv2DBlocked.BlockedLength(transposed, lanes) : 0);
        }

        /// <summary>A start on a 64-byte line.</summary>
        private static int Aligned(int length) => (length + 15) / 16 * 16;

        public int Bordered { get; }
        public int Blocked { get; }
        public int Length { get; }
    }

    /// <summary>
    /// A sample's pre-activation gradient rebuilt from the pooled one (<see cref="Conv2DBlockedPool.Expand"/>) into the
    /// weight gradient's run and, when the input gradient is wanted, into a bordered buffer that the flipped
    /// convolution turns into the sample's input gradient, while the values are in cache.
    /// </summary>
    private readonly struct PooledGradient(Conv2DShape shape, Conv2DShape transposed, ConvWindow pool, int lanes, PooledScratch layout,
        float* pooledGrad, float* pooledOutput, float* cells, float* inputGrad, Conv2DPackedWeights? flipped, int* offsets) : IBlockedOutputGradient
    {
        /// <summary>The worker's staging buffer (<see cref="PooledScratch"/>); set per chunk by <see cref="On"/>.</summary>
        private float* Scratch { get; init; }

        /// <summary>Whether the windows cover the whole plane (an odd size leaves a row and a column out).</summary>
        public bool WritesEveryPixel => pool.OutHeight * pool.KernelHeight == pool.Height && pool.OutWidth * pool.KernelWidth == pool.Width;

        /// <summary>
        /// This gradient on a worker's staging buffer, its bordered part cleared: only the pooling windows' pixels
        /// are written per sample, so the borders and the pixels the windows leave out stay 0.
        /// </summary>
        public PooledGradient On(float* scratch)
        {
            if (inputGrad != null) new Span<float>(scratch + layout.Bordered, layout.Blocked - layout.Bordered).Clear();
            return this with { Scratch = scratch };
        }

        public void Write(int sample, float* blocked, long blockStride)
        {
            int pooledPixels = pool.OutPixels, blocks = PooledCellsLength(shape, pool, lanes) / pooledPixels / lanes;
            long at = (long)sample * shape.OutChannels * pooledPixels;
            float* gradient = Scratch, taken = cells + (long)sample * PooledCellsLength(shape, pool, lanes);
            // Pooled gradient times ReLU's slope at the pooled output: the slope at the cell each value came from.
            Conv2DBlockedLayout.FromPlanes(shape.OutChannels, pooledPixels, lanes, blocks, pooledGrad + at, gradient, 0, pooledOutput + at);
            Conv2DBlockedPool.Expand(pool, blocks, lanes, gradient, taken, blocked, blockStride, pool.Width);
            if (inputGrad == null) return;
            var w = transposed.Window;
            int height = Conv2DBlocked.BorderedHeight(w), width = Conv2DBlocked.BorderedWidth(w);
            float* bordered = Scratch + layout.Bordered, output = Scratch + layout.Blocked;
            Conv2DBlockedPool.Expand(pool, (shape.OutChannels + lanes - 1) / lanes, lanes, gradient, taken,
                bordered + ((long)w.PadTop * width + w.PadLeft) * lanes, (long)height * width * lanes, width);
            Conv2DBlocked.Forward(transposed, flipped!, offsets, bordered, output, relu: false);
            Conv2DBlockedLayout.ToPlanes(transposed.OutChannels, w.OutPixels, lanes, output, inputGrad + (long)sample * shape.InputSize);
        }
    }

    /// <summary>A chunk of <see cref="BackwardPooled"/>: its weight gradient into its partial sum (or the gradient itself), input gradients on the way.</summary>
    private readonly struct PooledBackwardChunk(Conv2DShape shape, int lanes, float* input, int* offsets, PooledGradient gradient, bool direct,
        float* weightGrad, float* biasGrad, float* partials, Conv2DWorkspace workspace) : IChunkBody
    {
        public void Run(int chunk, int start, int count, int worker)
        {
            float* weightSum = direct ? weightGrad : partials + (long)chunk * (shape.WeightCount + shape.OutChannels);
            float* biasSum = direct ? biasGrad : weightSum + shape.WeightCount;
            Conv2DBlockedWeightGradient.Chunk(shape, lanes, input, start, count, offsets, workspace.Columns(worker), weightSum, biasSum,
                gradient.On(workspace.Staging(worker)));
        }
    }
}
