namespace Sparta.Kernels;

/// <summary>
/// One convolution of a <see cref="Conv2DBlockedChain"/>: its geometry, its weights and bias packed
/// for <see cref="Conv2DBlocked"/>, its activation (ReLU and the identity run in the tile's
/// registers; another only on a chain's last stage, applied to the NCHW output) and the max pooling
/// that follows it, if any.
/// </summary>
internal sealed record Conv2DBlockedStage(Conv2DShape Shape, Conv2DPackedWeights Packed, BiasActivationKind Activation, float Alpha, ConvWindow? Pool)
{
    /// <summary>Whether the activation runs inside the tile (ReLU or the identity).</summary>
    public bool Fused => Activation is BiasActivationKind.Relu or BiasActivationKind.Identity;

    public int OutHeight => Pool?.OutHeight ?? Shape.Window.OutHeight;

    public int OutWidth => Pool?.OutWidth ?? Shape.Window.OutWidth;

    /// <summary>Values of one sample of the stage's output (pooled when it pools), OC·OH·OW.</summary>
    public int OutputSize => Shape.OutChannels * OutHeight * OutWidth;
}

/// <summary>
/// Consecutive convolutions (each max pooled or not) run sample by sample in the channels-blocked
/// layout: a sample's planes are bordered once, then each stage's output, still in cache, is pooled
/// in that layout and copied row by row into the next stage's bordered buffer, never transposed back
/// to NCHW nor written to memory between layers; only the last stage's output is. A chain of one
/// stage is the blocked forward pass of one convolution. The values are exactly those of the stages
/// run one at a time: every sum adds the same products in the same order. The chunks (fixed by the
/// batch alone) only split the samples among workers.
/// </summary>
internal static unsafe class Conv2DBlockedChain
{
    /// <summary>Floats between the starts of two scratch buffers are a multiple of this (a 64-byte cache line).</summary>
    private const int Alignment = 16;

    /// <summary>
    /// output = the last stage's output for each sample of input (NCHW, the first stage's input
    /// shape); the stages must follow one another (<see cref="Links"/>) and share one vector width.
    /// With <paramref name="cells"/> (a last stage that pools), each sample's <see cref="CellsLength"/> floats there
    /// get the window cell each pooled value came from (<see cref="Conv2DBlockedPool.Max"/>): a training step's backward.
    /// </summary>
    public static void Forward(IReadOnlyList<Conv2DBlockedStage> stages, int batch, float* input, float* output, Conv2DWorkspace workspace,
        float* cells = null)
    {
        var first = stages[0].Shape;
        var chunks = ConvBatchChunks.ForBlocked(batch, first.Window.OutPixels);
        int lanes = stages[0].Packed.Lanes, count = stages.Count;
        // On the stack: a list of starts per call would be garbage every training step.
        int* starts = stackalloc int[ScratchLayout.Tables * count];
        var layout = Layout(stages, lanes, starts);
        workspace.Reserve(chunks.Workers, layout.Scratch, 0);
        fixed (int* offsets = workspace.Offsets(layout.Offsets))
        {
            for (int s = 0; s < count; s++) Conv2DBlocked.Offsets(stages[s].Shape, offsets + layout.OffsetStart(s), InputLanes(s, lanes));
            chunks.Run(new Chunk(stages, lanes, layout, offsets, input, output, cells, workspace));
        }
    }

    /// <summary>A chunk's samples through every stage, each sample's last output written to its NCHW place.</summary>
    private readonly struct Chunk(IReadOnlyList<Conv2DBlockedStage> stages, int lanes, ScratchLayout layout, int* offsets, float* input, float* output,
        float* cells, Conv2DWorkspace workspace) : IChunkBody
    {
        public void Run(int chunk, int start, int samples, int worker)
        {
            int count = stages.Count, inputSize = stages[0].Shape.InputSize, outputSize = stages[count - 1].OutputSize;
            float* scratch = workspace.Columns(worker);
            for (int s = 0; s < count; s++) Conv2DBlocked.ClearBorders(stages[s].Shape, scratch + layout.Bordered(s), InputLanes(s, lanes));
            for (int n = start; n < start + samples; n++)
            {
                Conv2DBlocked.CopyInterior(stages[0].Shape, input + (long)n * inputSize, scratch + layout.Bordered(0));
                for (int s = 0; s < count; s++)
                {
                    var stage = stages[s];
                    float* taken = cells == null || s + 1 < count ? null : cells + (long)n * CellsLength(stage, lanes);
                    float* result = RunStage(stage, lanes, offsets + layout.OffsetStart(s), scratch + layout.Bordered(s), scratch + layout.Blocked(s),
                        scratch + layout.Pooled(s), taken);
                    if (s + 1 < count) Conv2DBlocked.CopyBlockedInterior(stages[s + 1].Shape, lanes, result, scratch + layout.Bordered(s + 1));
                    else WriteOutput(stage, lanes, result, output + (long)n * outputSize);
                }
            }
        }
    }

    /// <summary>Whether <paramref name="next"/> reads exactly what <paramref name="stage"/> writes: its channels, height and width.</summary>
    public static bool Links(Conv2DBlockedStage stage, Conv2DBlockedStage next) =>
        stage.Fused && next.Shape.Channels == stage.Shape.OutChannels
        && next.Shape.Window.Height == stage.OutHeight && next.Shape.Window.Width == stage.OutWidth
        && next.Packed.Lanes == stage.Packed.Lanes;

    /// <summary>The first stage reads NCHW planes; every later one its predecessor's channels-blocked output.</summary>
    private static int InputLanes(int stage, int lanes) => stage == 0 ? 1 : lanes;

    /// <summary>One stage on its bordered input: the convolution into its blocked plane, then the pooling; returns the plane holding the stage's output.</summary>
    private static float* RunStage(Conv2DBlockedStage stage, int lanes, int* offsets, float* bordered, float* blocked, float* pooled, float* cells)
    {
        Conv2DBlocked.Forward(stage.Shape, stage.Packed, offsets, bordered, blocked, stage.Activation == BiasActivationKind.Relu);
        if (stage.Pool is not { } pool) return blocked;
        Conv2DBlockedPool.Max(pool, Blocks(stage.Shape, lanes), lanes, blocked, pooled, cells);
        return pooled;
    }

    /// <summary>Floats of one sample's pooled output in the blocked layout (and of its window cells): every group's channels by the pooled pixels.</summary>
    public static int CellsLength(Conv2DBlockedStage stage, int lanes) =>
        Blocks(stage.Shape, lanes) * lanes * (stage.Pool?.OutPixels ?? throw new ArgumentException("conv2d chain: the stage does not pool", nameof(stage)));

    /// <summary>The last stage's blocked output into its NCHW sample, then any activation the tile does not fuse.</summary>
    private static void WriteOutput(Conv2DBlockedStage stage, int lanes, float* result, float* sample)
    {
        int pixels = stage.OutHeight * stage.OutWidth;
        Conv2DBlockedLayout.ToPlanes(stage.Shape.OutChannels, pixels, lanes, result, sample);
        if (!stage.Fused) BiasActivation.ForwardRun(stage.Activation, stage.Alpha, sample, sample, stage.OutputSize, 0f);
    }

    /// <summary>Vectors of channels in a stage's blocked plane: every group's two, a partial last group's padding included.</summary>
    private static int Blocks(Conv2DShape shape, int lanes) => Conv2DBlocked.BlockedLength(shape, lanes) / shape.Window.OutPixels / lanes;

    /// <summary>
    /// Where each stage's buffers start in a worker's scratch (<see cref="Tables"/> tables of a start per stage, held by the
    /// caller), and the lengths of the scratch and of the offset tables.
    /// </summary>
    private readonly struct ScratchLayout(int* starts, int count, int scratch, int offsets)
    {
        public const int Tables = 4;

        public int Scratch => scratch;
        public int Offsets => offsets;
        public int Bordered(int stage) => starts[stage];
        public int Blocked(int stage) => starts[count + stage];
        public int Pooled(int stage) => starts[2 * count + stage];
        public int OffsetStart(int stage) => starts[3 * count + stage];
    }

    private static ScratchLayout Layout(IReadOnlyList<Conv2DBlockedStage> stages, int lanes, int* starts)
    {
        int count = stages.Count, scratch = 0, offsets = 0;
        for (int s = 0; s < count; s++)
        {
            var shape = stages[s].Shape;
            starts[s] = scratch;
            scratch += Aligned(Conv2DBlocked.BorderedLength(shape, InputLanes(s, lanes)));
            starts[count + s] = scratch;
            scratch += Aligned(Conv2DBlocked.BlockedLength(shape, lanes));
            starts[2 * count + s] = scratch;
            if (stages[s].Pool is not null) scratch += Aligned(CellsLength(stages[s], lanes));
            starts[3 * count + s] = offsets;
            offsets += Conv2DBlocked.OffsetCount(shape);
        }
        return new ScratchLayout(starts, count, scratch, offsets);
    }

    private static int Aligned(int length) => (length + Alignment - 1) / Alignment * Alignment;
}
