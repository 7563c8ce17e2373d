using System.Numerics.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// The input gradient of a stride-1 convolution as a forward convolution that <see cref="Conv2DBlocked"/>
/// runs: dX[c, i, j] = Σ over o, p, q of W[o, c, p, q] · dY[o, i + padTop − p·dh, j + padLeft − q·dw], that is
/// the output gradient convolved with the kernel flipped in both axes and its two channel axes swapped,
/// over borders of span − 1 − pad. Each sample goes from its output gradient to its input gradient in
/// cache: no im2col matrix, no [C·KH·KW, pixels] GEMM product and no col2im scatter of it. The samples
/// are independent, so the result is the same for any thread count.
/// </summary>
internal static unsafe class Conv2DBlockedInputGradient
{
    /// <summary>
    /// The convolution whose output is <paramref name="forward"/>'s input gradient, or null for a
    /// stride other than 1 or a border of a whole span or more (rows that no kernel cell reads).
    /// </summary>
    public static Conv2DShape? Transposed(Conv2DShape forward)
    {
        var w = forward.Window;
        if (w.StrideHeight != 1 || w.StrideWidth != 1) return null;
        // At stride 1 the output size fixes the far borders exactly: OH = H + top + bottom − span + 1.
        int padBottom = w.OutHeight - 1 + w.SpanHeight - w.Height - w.PadTop, padRight = w.OutWidth - 1 + w.SpanWidth - w.Width - w.PadLeft;
        int top = w.SpanHeight - 1 - w.PadTop, bottom = w.SpanHeight - 1 - padBottom;
        int left = w.SpanWidth - 1 - w.PadLeft, right = w.SpanWidth - 1 - padRight;
        if (top < 0 || bottom < 0 || left < 0 || right < 0) return null;
        return new Conv2DShape(forward.OutChannels, forward.Channels, ConvWindow.Create(w.OutHeight, w.OutWidth, w.KernelHeight, w.KernelWidth,
            1, 1, top, bottom, left, right, w.DilationHeight, w.DilationWidth));
    }

    /// <summary>The lanes <paramref name="forward"/>'s input gradient runs at here (<see cref="Conv2DBlocked.Widest"/>), 0 when the GEMM and col2im serve.</summary>
    public static int LanesFor(Conv2DShape forward) => Conv2DBlocked.Widest(forward, &Handles);

    /// <summary>Whether <paramref name="forward"/>'s input gradient runs here with vectors of <paramref name="lanes"/> floats.</summary>
    public static bool Handles(Conv2DShape forward, int lanes) =>
        Conv2DBlocked.Runs(lanes) && Transposed(forward) is { } transposed && Conv2DBlocked.Fits(transposed, lanes);

    /// <summary>flipped[c, o, p, q] = weights[o, c, KH − 1 − p, KW − 1 − q]: the weights of <see cref="Transposed"/>.</summary>
    public static void Flip(Conv2DShape forward, ReadOnlySpan<float> weights, Span<float> flipped)
    {
        int oc = forward.OutChannels, channels = forward.Channels, cells = forward.Window.KernelPixels;
        for (int o = 0; o < oc; o++)
        for (int c = 0; c < channels; c++)
        {
            var source = weights.Slice((o * channels + c) * cells, cells);
            var target = flipped.Slice((c * oc + o) * cells, cells);
            for (int k = 0; k < cells; k++) target[k] = source[cells - 1 - k];
        }
    }

    /// <summary>
    /// inputGrad (=, or += when <paramref name="accumulate"/>) the gradient of the loss with respect to
    /// the input, for a shape <see cref="Handles"/> takes at <paramref name="lanes"/>. The weights are
    /// flipped and packed once per call; the samples are split among workers in chunks fixed by the batch alone.
    /// With <paramref name="reluOutput"/> the output gradient is multiplied by ReLU's slope there as it is read.
    /// </summary>
    public static void Run(Conv2DShape forward, int batch, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> weights,
        Span<float> inputGrad, Conv2DWorkspace workspace, int lanes, bool accumulate, ReadOnlySpan<float> reluOutput = default)
    {
        if (!Handles(forward, lanes)) throw new ArgumentException($"conv2d backward input: the blocked kernel does not take {forward} at {lanes} lanes", nameof(forward));
        var shape = Transposed(forward)!.Value;
        var flipped = workspace.Flipped(forward.WeightCount);
        Flip(forward, weights, flipped);
        var packed = workspace.PackedForInputGradient(shape, lanes, flipped);
        var chunks = ConvBatchChunks.ForBlocked(batch, shape.Window.OutPixels);
        int sampleSize = forward.InputSize, blockedLength = Conv2DBlocked.BlockedLength(shape, lanes);
        workspace.Reserve(chunks.Workers, Conv2DBlocked.BorderedLength(shape), blockedLength + (accumulate ? sampleSize : 0));
        fixed (float* dy = outputGrad, dx = inputGrad, relu = reluOutput)
        fixed (int* offsets = workspace.Offsets(Conv2DBlocked.OffsetCount(shape)))
        {
            Conv2DBlocked.Offsets(shape, offsets);
            chunks.Run(new Chunk(shape, forward, packed, lanes, offsets, dy, dx, relu, workspace, accumulate));
        }
    }

    /// <summary>A chunk's samples: each output gradient bordered, convolved with the flipped weights, and written (or added) to its input gradient.</summary>
    private readonly struct Chunk(Conv2DShape shape, Conv2DShape forward, Conv2DPackedWeights packed, int lanes, int* offsets,
        float* outputGrad, float* inputGrad, float* reluOutput, Conv2DWorkspace workspace, bool accumulate) : IChunkBody
    {
        public void Run(int chunk, int start, int count, int worker)
        {
            int sampleSize = forward.InputSize, blockedLength = Conv2DBlocked.BlockedLength(shape, lanes);
            float* bordered = workspace.Columns(worker), blocked = workspace.Staging(worker), sum = blocked + blockedLength;
            Conv2DBlocked.ClearBorders(shape, bordered);
            for (int n = start; n < start + count; n++)
            {
                float* target = inputGrad + (long)n * sampleSize;
                long sample = (long)n * forward.OutputSize;
                Conv2DBlocked.CopyInterior(shape, outputGrad + sample, bordered, reluOutput == null ? null : reluOutput + sample);
                Conv2DBlocked.Forward(shape, packed, offsets, bordered, blocked, relu: false);
                Conv2DBlockedLayout.ToPlanes(shape.OutChannels, shape.Window.OutPixels, lanes, blocked, accumulate ? sum : target);
                if (accumulate)
                    TensorPrimitives.Add(new ReadOnlySpan<float>(target, sampleSize), new ReadOnlySpan<float>(sum, sampleSize), new Span<float>(target, sampleSize));
            }
        }
    }
}
