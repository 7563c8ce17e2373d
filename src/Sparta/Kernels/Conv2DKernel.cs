using System.Numerics.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// 2-D convolution in NCHW layout by im2col + GEMM. The batch is cut into chunks of a fixed number of
/// samples (more for small outputs, see <see cref="ConvBatchChunks"/>); the im2col matrices of a chunk's samples sit side by side, so each pass is one wide GEMM
/// per chunk rather than one narrow GEMM per sample; a tiny patch (C·KH·KW ≤ 32, a first layer) goes
/// through <see cref="Conv2DSmallPatch"/> instead. The weight gradient is summed per chunk and the
/// chunk sums are added in chunk order, so every result is bit-identical for any
/// <see cref="Parallelism.ThreadCount"/>. Scratch memory comes from a caller-owned
/// <see cref="Conv2DWorkspace"/>. <see cref="Conv2DScalar"/> is the oracle.
/// </summary>
internal static unsafe partial class Conv2DKernel
{
    /// <summary>
    /// output = f(conv(input, weights) + bias), the bias add and activation f fused into the pass that
    /// writes the output (<see cref="BiasActivation.Backward"/> gives their gradient from this output).
    /// <paramref name="bias"/> may be empty (no bias); f defaults to the identity. <paramref name="packed"/>,
    /// when given, holds these weights and bias already packed for <see cref="Conv2DBlocked"/> (a
    /// model's layer packs them once); otherwise they are packed here when that kernel runs.
    /// </summary>
    public static void Forward(Conv2DShape shape, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Conv2DWorkspace workspace,
        BiasActivationKind activation = BiasActivationKind.Identity, float alpha = 0f, Conv2DPackedWeights? packed = null)
    {
        const string op = "conv2d forward";
        CheckCommon(op, shape, batch, input.Length, nameof(input), weights.Length, nameof(weights), workspace);
        BiasActivation.CheckActivation(op, activation, alpha);
        if (!bias.IsEmpty) ConvArguments.Length(op, nameof(bias), bias.Length, shape.OutChannels, "OC");
        CheckOutput(op, nameof(output), shape, batch, output.Length);
        if (packed is not null && packed.Shape != shape)
            throw new ArgumentException($"{op}: the packed weights are for {packed.Shape}, not {shape}", nameof(packed));
        if (packed is not null || Conv2DBlocked.Handles(shape))
        {
            ForwardBlocked(shape, batch, input, output, workspace, activation, alpha,
                packed ?? Conv2DPackedWeights.Pack(shape, Conv2DBlocked.LanesFor(shape), weights, bias));
            return;
        }
        var chunks = Reserve(shape, batch, workspace);
        fixed (float* x = input, w = weights, b = bias, y = output)
            chunks.Run(new ForwardChunk(shape, x, w, b, y, workspace, activation, alpha));
    }

    /// <summary>
    /// output = the last stage's output of a chain of convolutions run in the channels-blocked layout
    /// (<see cref="Conv2DBlockedChain"/>): the same values as each stage's <see cref="Forward"/> (then
    /// <see cref="Pool2D.MaxForward(ConvWindow, int, ReadOnlySpan{float}, Span{float}, Span{int})"/> where it pools) one after another, without writing the layers
    /// between. For inference; every stage but the last has ReLU or the identity.
    /// </summary>
    public static void ForwardChain(IReadOnlyList<Conv2DBlockedStage> stages, int batch, ReadOnlySpan<float> input, Span<float> output,
        Conv2DWorkspace workspace)
    {
        const string op = "conv2d chain forward";
        ArgumentNullException.ThrowIfNull(workspace);
        if (stages.Count == 0) throw new ArgumentException($"{op}: no stage", nameof(stages));
        ConvArguments.Batch(op, batch);
        for (int s = 0; s + 1 < stages.Count; s++)
            if (!Conv2DBlockedChain.Links(stages[s], stages[s + 1]))
                throw new ArgumentException($"{op}: stage {s + 1} ({stages[s + 1].Shape}) does not read stage {s}'s output ({stages[s].Shape}, {stages[s].Activation})", nameof(stages));
        for (int s = 0; s < stages.Count; s++) // an index, not foreach: the list's enumerator would be garbage every call
        {
            var stage = stages[s];
            if (stage.Packed.Shape != stage.Shape)
                throw new ArgumentException($"{op}: the packed weights are for {stage.Packed.Shape}, not {stage.Shape}", nameof(stages));
            if (stage.Pool is { } pool && (!stage.Fused || pool.Height != stage.Shape.Window.OutHeight || pool.Width != stage.Shape.Window.OutWidth
                || !Conv2DBlockedPool.Handles(pool)))
                throw new ArgumentException($"{op}: the pooling window {pool} must lie inside the {stage.Shape.Window.OutHeight}x{stage.Shape.Window.OutWidth} output of a ReLU or linear convolution", nameof(stages));
        }
        var first = stages[0].Shape;
        ConvArguments.Length(op, nameof(input), input.Length, (long)batch * first.InputSize,
            $"N x C x H x W = {batch}x{first.Channels}x{first.Window.Height}x{first.Window.Width}");
        var last = stages[^1];
        ConvArguments.Length(op, nameof(output), output.Length, (long)batch * last.OutputSize,
            $"N x OC x OH x OW = {batch}x{last.Shape.OutChannels}x{last.OutHeight}x{last.OutWidth}");
        fixed (float* x = input, y = output) Conv2DBlockedChain.Forward(stages, batch, x, y, workspace);
    }

    /// <summary>One convolution (max pooled when <paramref name="pool"/> is given) through <see cref="Conv2DBlocked"/>: a chain of one stage.</summary>
    private static void ForwardBlocked(Conv2DShape shape, int batch, ReadOnlySpan<float> input, Span<float> output,
        Conv2DWorkspace workspace, BiasActivationKind activation, float alpha, Conv2DPackedWeights packed, ConvWindow? pool = null)
    {
        fixed (float* x = input, y = output)
            Conv2DBlockedChain.Forward(packed.Alone(activation, alpha, pool), batch, x, y, workspace);
    }

    /// <summary>inputGrad (=, or += when <paramref name="accumulate"/>) the gradient of the loss with respect to the input.</summary>
    public static void BackwardInput(Conv2DShape shape, int batch, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> weights,
        Span<float> inputGrad, Conv2DWorkspace workspace, bool accumulate = false)
    {
        const string op = "conv2d backward input";
        CheckCommon(op, shape, batch, inputGrad.Length, nameof(inputGrad), weights.Length, nameof(weights), workspace);
        CheckOutput(op, nameof(outputGrad), shape, batch, outputGrad.Length);
        RunBackward(shape, batch, default, outputGrad, weights, inputGrad, default, default, workspace, accumulate, Conv2DBackwardLanes.For(shape));
    }

    /// <summary>
    /// weightGrad and biasGrad (=, or += when <paramref name="accumulate"/>) the gradients of the loss,
    /// summed over the batch. <paramref name="biasGrad"/> may be empty (no bias).
    /// </summary>
    public static void BackwardWeights(Conv2DShape shape, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad,
        Span<float> weightGrad, Span<float> biasGrad, Conv2DWorkspace workspace, bool accumulate = false)
    {
        const string op = "conv2d backward weights";
        CheckCommon(op, shape, batch, input.Length, nameof(input), weightGrad.Length, nameof(weightGrad), workspace);
        if (!biasGrad.IsEmpty) ConvArguments.Length(op, nameof(biasGrad), biasGrad.Length, shape.OutChannels, "OC");
        CheckOutput(op, nameof(outputGrad), shape, batch, outputGrad.Length);
        RunBackward(shape, batch, input, outputGrad, default, default, weightGrad, biasGrad, workspace, accumulate, Conv2DBackwardLanes.For(shape));
    }

    /// <summary>
    /// Both backward passes in one sweep over the batch, each chunk's output gradient gathered once for
    /// the two GEMMs: what <see cref="BackwardInput"/> and <see cref="BackwardWeights"/> give, bit for bit.
    /// With <paramref name="reluOutput"/> (the output of a convolution with ReLU fused, where <see cref="FusesRelu"/>
    /// says so) <paramref name="outputGrad"/> is the gradient of that output, turned into the pre-activation
    /// gradient as each pass reads it: what <see cref="BiasActivation.Backward"/> then this give, bit for bit,
    /// without writing the pre-activation gradient nor reading it back. <paramref name="lanes"/>, when given, are the
    /// kernels' widths the caller chose (and checked <see cref="Conv2DBackwardLanes.FusesRelu"/> with); otherwise
    /// they are read here once, so a width changed meanwhile (<see cref="VectorWidth.Bits"/>) cannot drop the ReLU output.
    /// </summary>
    public static void Backward(Conv2DShape shape, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad,
        ReadOnlySpan<float> weights, Span<float> inputGrad, Span<float> weightGrad, Span<float> biasGrad,
        Conv2DWorkspace workspace, bool accumulate = false, ReadOnlySpan<float> reluOutput = default, Conv2DBackwardLanes? lanes = null)
    {
        const string op = "conv2d backward";
        // An empty inputGrad or weightGrad skips that gradient (RunBackward), so only the operands it needs are checked.
        if (!weightGrad.IsEmpty) CheckCommon(op, shape, batch, input.Length, nameof(input), weightGrad.Length, nameof(weightGrad), workspace);
        if (!inputGrad.IsEmpty) CheckCommon(op, shape, batch, inputGrad.Length, nameof(inputGrad), weights.Length, nameof(weights), workspace);
        if (!biasGrad.IsEmpty) ConvArguments.Length(op, nameof(biasGrad), biasGrad.Length, shape.OutChannels, "OC");
        CheckOutput(op, nameof(outputGrad), shape, batch, outputGrad.Length);
        var chosen = lanes ?? Conv2DBackwardLanes.For(shape);
        if (lanes is { } given && !given.TakenBy(shape))
            throw new ArgumentException($"{op}: the blocked kernels do not take {shape} at {given}", nameof(lanes));
        if (!reluOutput.IsEmpty)
        {
            CheckOutput(op, nameof(reluOutput), shape, batch, reluOutput.Length);
            if (!chosen.FusesRelu(!inputGrad.IsEmpty, !weightGrad.IsEmpty))
                throw new ArgumentException($"{op}: the ReLU output is taken only where every gradient asked for runs channels-blocked, not for {shape}", nameof(reluOutput));
        }
        RunBackward(shape, batch, input, outputGrad, weights, inputGrad, weightGrad, biasGrad, workspace, accumulate, chosen, reluOutput);
    }

    /// <summary>
    /// Whether <see cref="Backward"/> takes a ReLU output for this shape at the width in use: when the input gradient (if
    /// <paramref name="input"/>) and the weight gradient (if <paramref name="weights"/>) both run channels-blocked here.
    /// </summary>
    public static bool FusesRelu(Conv2DShape shape, bool input, bool weights) => Conv2DBackwardLanes.For(shape).FusesRelu(input, weights);

    /// <summary>
    /// The checked backward: an empty <paramref name="inputGrad"/> or <paramref name="weightGrad"/> skips
    /// that gradient, an empty <paramref name="biasGrad"/> the bias sums. Each chunk's weight gradient,
    /// [OC, C·KH·KW] like the weights, is its own GEMM's output (a sum of its samples), and the chunk
    /// sums are added in chunk order; a batch in one chunk is written straight into the gradient. The
    /// input gradient of a stride-1 convolution the blocked kernel takes is that kernel's convolution
    /// of the output gradient (<see cref="Conv2DBlockedInputGradient"/>), not a GEMM and col2im; the
    /// weight gradient of a shape <see cref="Conv2DBlockedWeightGradient"/> takes is summed by it, not by im2col and a GEMM.
    /// </summary>
    private static void RunBackward(Conv2DShape shape, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad,
        ReadOnlySpan<float> weights, Span<float> inputGrad, Span<float> weightGrad, Span<float> biasGrad,
        Conv2DWorkspace workspace, bool accumulate, Conv2DBackwardLanes kernelLanes, ReadOnlySpan<float> reluOutput = default)
    {
        bool wantInput = !inputGrad.IsEmpty, wantWeights = !weightGrad.IsEmpty, wantBias = wantWeights && !biasGrad.IsEmpty;
        if (batch == 0)
        {
            if (wantWeights && !accumulate)
            {
                weightGrad.Clear();
                biasGrad.Clear();
            }
            return;
        }
        if (wantInput && kernelLanes.Input is > 0 and var inputLanes)
        {
            Conv2DBlockedInputGradient.Run(shape, batch, outputGrad, weights, inputGrad, workspace, inputLanes, accumulate, reluOutput);
            if (!wantWeights) return;
            inputGrad = default;
            wantInput = false;
        }
        int partialSize = shape.WeightCount + shape.OutChannels;
        var batchChunks = Reserve(shape, batch, workspace);
        int chunks = batchChunks.Count;
        int lanes = kernelLanes.Weights;
        bool blockedWeights = wantWeights && lanes > 0;
        // The blocked weight gradient before the small-patch one: it reads no im2col matrix and sums no lanes across.
        bool smallPatch = !blockedWeights && Conv2DSmallPatch.Handles(shape);
        if (blockedWeights) workspace.Reserve(batchChunks.Workers, Conv2DBlockedWeightGradient.ScratchLength(shape, lanes), 0);
        // The small-patch kernel sums [C·KH·KW, OC] (transposed) and adds into its partial: never straight into the gradient.
        bool direct = wantWeights && chunks == 1 && !accumulate && !smallPatch;
        float* partials = wantWeights && !direct ? workspace.Partials(chunks * partialSize) : null;
        fixed (float* x = input, dy = outputGrad, w = weights, dx = inputGrad, dw = weightGrad, db = biasGrad, relu = reluOutput)
        fixed (int* offsets = blockedWeights ? workspace.Offsets(Conv2DBlockedWeightGradient.OffsetCount(shape)) : null)
        {
            if (blockedWeights) Conv2DBlockedWeightGradient.Offsets(shape, offsets);
            batchChunks.Run(new BackwardChunk(shape, new BackwardPlan(wantInput, wantWeights, wantBias, smallPatch, blockedWeights, direct, accumulate, lanes),
                x, dy, w, dx, dw, db, relu, offsets, partials, workspace));
        }
        if (!wantWeights || direct) return;
        AddChunkSums(shape, chunks, new Span<float>(partials, chunks * partialSize), smallPatch, weightGrad, biasGrad, accumulate);
    }

    /// <summary>
    /// The chunks' partial sums added in chunk order into the first chunk's slot, then copied (or added,
    /// when <paramref name="accumulate"/>) into the gradients; the small-patch partials are transposed out.
    /// </summary>
    private static void AddChunkSums(Conv2DShape shape, int chunks, Span<float> partials, bool smallPatch,
        Span<float> weightGrad, Span<float> biasGrad, bool accumulate)
    {
        int partialSize = shape.WeightCount + shape.OutChannels;
        var total = partials[..partialSize];
        for (int chunk = 1; chunk < chunks; chunk++)
            TensorPrimitives.Add(total, partials.Slice(chunk * partialSize, partialSize), total);
        var weightSum = total[..shape.WeightCount];
        if (!accumulate) weightGrad.Clear();
        if (smallPatch) AddTransposed(weightSum, shape.PatchSize, shape.OutChannels, weightGrad);
        else TensorPrimitives.Add(weightGrad, weightSum, weightGrad);
        if (biasGrad.IsEmpty) return;
        if (!accumulate) biasGrad.Clear();
        TensorPrimitives.Add(biasGrad, total[shape.WeightCount..], biasGrad);
    }

    /// <summary>
    /// target[o, p] += source[p, o] for a [rows, columns] source, in square tiles: a row-by-row walk
    /// would read the source a column apart every step (2 KB for 512 channels) and miss the cache each time.
    /// </summary>
    private static void AddTransposed(ReadOnlySpan<float> source, int rows, int columns, Span<float> target)
    {
        const int tile = 32;
        for (int p0 = 0; p0 < rows; p0 += tile)
        for (int o0 = 0; o0 < columns; o0 += tile)
        {
            int pEnd = Math.Min(p0 + tile, rows), oEnd = Math.Min(o0 + tile, columns);
            for (int o = o0; o < oEnd; o++)
            for (int p = p0; p < pEnd; p++)
                target[o * rows + p] += source[p * columns + o];
        }
    }

    /// <summary>
    /// Output planes of at least this many pixels are computed one sample at a time: a GEMM that wide
    /// runs at full speed (64x196x288, the Fashion-MNIST CNN's second convolution, as fast as 64x2156x288),
    /// the sample's im2col matrix stays in L2, and the product lands in the output where it belongs,
    /// with no staging matrix to copy out of.
    /// </summary>
    internal const int SampleBySampleMinPixels = 128;

    private static bool ForwardsSampleBySample(Conv2DShape shape) =>
        Conv2DSmallPatch.HandlesForward(shape) || shape.Window.OutPixels >= SampleBySampleMinPixels;

    /// <summary>
    /// One sample: im2col (none for a 1x1 convolution of stride 1, whose im2col matrix is the input
    /// itself), the sums straight into the output (<see cref="Conv2DSmallPatch"/> for a tiny patch, a
    /// GEMM otherwise), then bias and activation in place.
    /// </summary>
    private static void ForwardSample(Conv2DShape shape, float* sample, float* weights, float* bias, float* output,
        float* columns, BiasActivationKind activation, float alpha)
    {
        int pixels = shape.Window.OutPixels;
        if (Im2Col.IsIdentity(shape.Window)) columns = sample;
        else Im2Col.Expand(shape.Window, shape.Channels, sample, columns, pixels);
        if (Conv2DSmallPatch.HandlesForward(shape)) Conv2DSmallPatch.Forward(shape, weights, columns, output);
        else Gemm.Multiply(Transpose.No, Transpose.No, shape.OutChannels, pixels, shape.PatchSize, weights, columns, output);
        for (int o = 0; o < shape.OutChannels; o++)
            BiasActivation.ForwardRun(activation, alpha, output + (long)o * pixels, output + (long)o * pixels, pixels, bias == null ? 0f : bias[o]);
    }

    /// <summary>Adds one sample's weight gradient (transposed) and bias gradient through <see cref="Conv2DSmallPatch"/>.</summary>
    private static void AccumulateSmallPatch(Conv2DShape shape, float* sample, float* sampleGrad, float* columns, float* weightSumT, float* biasSum)
    {
        int pixels = shape.Window.OutPixels;
        Im2Col.Expand(shape.Window, shape.Channels, sample, columns, pixels);
        Conv2DSmallPatch.AccumulateWeightGradient(shape, columns, sampleGrad, weightSumT);
        for (int o = 0; o < shape.OutChannels; o++) biasSum[o] += BiasActivation.Sum(sampleGrad + (long)o * pixels, pixels);
    }

    /// <summary>The im2col matrices of samples [start, start+count) side by side: PatchSize rows of count·OH·OW.</summary>
    private static float* ExpandChunk(Conv2DShape shape, float* input, int start, int count, float* columns)
    {
        Im2Col.Expand(shape.Window, shape.Channels, input + (long)start * shape.InputSize, shape.InputSize, count, columns,
            count * shape.Window.OutPixels);
        return columns;
    }

    /// <summary>Gathers the [OC, OH·OW] planes of samples [start, start+count) into one [OC, count·OH·OW] matrix.</summary>
    private static float* Stage(Conv2DShape shape, float* samples, int start, int count, float* staged)
    {
        int pixels = shape.Window.OutPixels, width = count * pixels;
        for (int s = 0; s < count; s++)
        for (int o = 0; o < shape.OutChannels; o++)
            new ReadOnlySpan<float>(samples + (long)(start + s) * shape.OutputSize + o * pixels, pixels)
                .CopyTo(new Span<float>(staged + (long)o * width + s * pixels, pixels));
        return staged;
    }

    /// <summary>Scatters a staged [OC, count·OH·OW] matrix back to NCHW samples through the bias add and activation.</summary>
    private static void Unstage(Conv2DShape shape, float* staged, int start, int count, float* samples, float* bias,
        BiasActivationKind activation, float alpha)
    {
        int pixels = shape.Window.OutPixels, width = count * pixels;
        for (int s = 0; s < count; s++)
        for (int o = 0; o < shape.OutChannels; o++)
            BiasActivation.ForwardRun(activation, alpha, staged + (long)o * width + s * pixels,
                samples + (long)(start + s) * shape.OutputSize + o * pixels, pixels, bias == null ? 0f : bias[o]);
    }

    /// <summary>The batch's chunks for this shape, with every worker's buffers grown to fit the largest.</summary>
    private static ConvBatchChunks Reserve(Conv2DShape shape, int batch, Conv2DWorkspace workspace)
    {
        var chunks = ConvBatchChunks.For(batch, shape.Window.OutPixels);
        int width = chunks.LargestChunk * shape.Window.OutPixels;
        workspace.Reserve(chunks.Workers, shape.PatchSize * width, shape.OutChannels * width);
        return chunks;
    }

    private static void CheckCommon(string op, Conv2DShape shape, int batch, int imageLength, string imageName,
        int weightLength, string weightName, Conv2DWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (shape.Channels == 0) throw new ArgumentException($"{op}: the shape was not built by its constructor", nameof(shape));
        ConvArguments.Batch(op, batch);
        ConvArguments.Length(op, imageName, imageLength, (long)batch * shape.InputSize,
            $"N x C x H x W = {batch}x{shape.Channels}x{shape.Window.Height}x{shape.Window.Width}");
        ConvArguments.Length(op, weightName, weightLength, shape.WeightCount,
            $"OC x C x KH x KW = {shape.OutChannels}x{shape.Channels}x{shape.Window.KernelHeight}x{shape.Window.KernelWidth}");
    }

    private static void CheckOutput(string op, string name, Conv2DShape shape, int batch, int length) =>
        ConvArguments.Length(op, name, length, (long)batch * shape.OutputSize,
            $"N x OC x OH x OW = {batch}x{shape.OutChannels}x{shape.Window.OutHeight}x{shape.Window.OutWidth}");
}
