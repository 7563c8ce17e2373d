using System.Numerics.Tensors;

namespace Sparta.Kernels;

/// <summary>
/// 2-D convolution in NCHW layout by im2col + GEMM (a 1x1 stride-1 kernel multiplies the input
/// directly). Work is split over the batch in chunks of fixed size; the weight gradient is summed
/// per chunk and the chunk sums are added in chunk order, so every result is bit-identical for any
/// <see cref="Parallelism.ThreadCount"/>. Scratch memory comes from a caller-owned
/// <see cref="Conv2DWorkspace"/>. <see cref="Conv2DScalar"/> is the oracle.
/// </summary>
public static unsafe class Conv2D
{
    /// <summary>output = conv(input, weights) + bias. <paramref name="bias"/> may be empty (no bias).</summary>
    public static void Forward(Conv2DShape shape, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, Conv2DWorkspace workspace)
    {
        const string op = "conv2d forward";
        CheckCommon(op, shape, batch, input.Length, "input", shape.InputSize, weights.Length, workspace);
        if (!bias.IsEmpty) ConvArguments.Length(op, nameof(bias), bias.Length, shape.OutChannels, "OC");
        CheckOutput(op, "output", shape, batch, output.Length);
        int patch = shape.PatchSize, pixels = shape.Window.OutPixels, oc = shape.OutChannels;
        PrepareColumns(shape, batch, workspace);
        fixed (float* x = input, w = weights, b = bias, y = output)
        {
            float* xs = x, ws = w, bs = b, ys = y;
            bool hasBias = !bias.IsEmpty;
            ConvBatchChunks.Run(batch, (_, start, count, worker) =>
            {
                for (int n = start; n < start + count; n++)
                {
                    float* sample = ys + (long)n * shape.OutputSize;
                    if (hasBias)
                        for (int o = 0; o < oc; o++) new Span<float>(sample + o * pixels, pixels).Fill(bs[o]);
                    float* columns = Columns(shape, xs + (long)n * shape.InputSize, workspace, worker);
                    Gemm.Multiply(Transpose.No, Transpose.No, oc, pixels, patch,
                        new ReadOnlySpan<float>(ws, shape.WeightCount), new ReadOnlySpan<float>(columns, patch * pixels),
                        new Span<float>(sample, shape.OutputSize), hasBias ? 1f : 0f);
                }
            });
        }
    }

    /// <summary>inputGrad (=, or += when <paramref name="accumulate"/>) the gradient of the loss with respect to the input.</summary>
    public static void BackwardInput(Conv2DShape shape, int batch, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> weights,
        Span<float> inputGrad, Conv2DWorkspace workspace, bool accumulate = false)
    {
        const string op = "conv2d backward input";
        CheckCommon(op, shape, batch, inputGrad.Length, nameof(inputGrad), shape.InputSize, weights.Length, workspace);
        CheckOutput(op, nameof(outputGrad), shape, batch, outputGrad.Length);
        int patch = shape.PatchSize, pixels = shape.Window.OutPixels, oc = shape.OutChannels;
        PrepareColumns(shape, batch, workspace);
        fixed (float* dy = outputGrad, w = weights, dx = inputGrad)
        {
            float* dys = dy, ws = w, dxs = dx;
            ConvBatchChunks.Run(batch, (_, start, count, worker) =>
            {
                for (int n = start; n < start + count; n++)
                {
                    var weightsT = new ReadOnlySpan<float>(ws, shape.WeightCount);
                    var sampleGrad = new ReadOnlySpan<float>(dys + (long)n * shape.OutputSize, shape.OutputSize);
                    float* target = dxs + (long)n * shape.InputSize;
                    if (shape.IsPointwise)
                    {
                        Gemm.Multiply(Transpose.Yes, Transpose.No, patch, pixels, oc, weightsT, sampleGrad,
                            new Span<float>(target, shape.InputSize), accumulate ? 1f : 0f);
                        continue;
                    }
                    float* columns = workspace.Columns(worker, patch * pixels);
                    Gemm.Multiply(Transpose.Yes, Transpose.No, patch, pixels, oc, weightsT, sampleGrad,
                        new Span<float>(columns, patch * pixels));
                    if (!accumulate) new Span<float>(target, shape.InputSize).Clear();
                    Im2Col.Accumulate(shape.Window, shape.Channels, columns, target);
                }
            });
        }
    }

    /// <summary>
    /// weightGrad and biasGrad (=, or += when <paramref name="accumulate"/>) the gradients of the loss,
    /// summed over the batch. <paramref name="biasGrad"/> may be empty (no bias).
    /// </summary>
    public static void BackwardWeights(Conv2DShape shape, int batch, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad,
        Span<float> weightGrad, Span<float> biasGrad, Conv2DWorkspace workspace, bool accumulate = false)
    {
        const string op = "conv2d backward weights";
        CheckCommon(op, shape, batch, input.Length, nameof(input), shape.InputSize, weightGrad.Length, workspace, nameof(weightGrad));
        if (!biasGrad.IsEmpty) ConvArguments.Length(op, nameof(biasGrad), biasGrad.Length, shape.OutChannels, "OC");
        CheckOutput(op, nameof(outputGrad), shape, batch, outputGrad.Length);
        int patch = shape.PatchSize, pixels = shape.Window.OutPixels, oc = shape.OutChannels;
        int partialSize = shape.WeightCount + oc, chunks = ConvBatchChunks.Count(batch);
        PrepareColumns(shape, batch, workspace);
        float* partials = workspace.Partials(Math.Max(1, chunks) * partialSize);
        fixed (float* x = input, dy = outputGrad)
        {
            float* xs = x, dys = dy;
            ConvBatchChunks.Run(batch, (chunk, start, count, worker) =>
            {
                float* weightSum = partials + (long)chunk * partialSize, biasSum = weightSum + shape.WeightCount;
                new Span<float>(biasSum, oc).Clear();
                for (int n = start; n < start + count; n++)
                {
                    float* sampleGrad = dys + (long)n * shape.OutputSize;
                    float* columns = Columns(shape, xs + (long)n * shape.InputSize, workspace, worker);
                    Gemm.Multiply(Transpose.No, Transpose.Yes, oc, patch, pixels,
                        new ReadOnlySpan<float>(sampleGrad, shape.OutputSize), new ReadOnlySpan<float>(columns, patch * pixels),
                        new Span<float>(weightSum, shape.WeightCount), n == start ? 0f : 1f);
                    for (int o = 0; o < oc; o++) biasSum[o] += BiasActivation.Sum(sampleGrad + o * pixels, pixels);
                }
            });
        }
        if (!accumulate)
        {
            weightGrad.Clear();
            biasGrad.Clear();
        }
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            var partial = new ReadOnlySpan<float>(partials + (long)chunk * partialSize, partialSize);
            TensorPrimitives.Add(weightGrad, partial[..shape.WeightCount], weightGrad);
            if (!biasGrad.IsEmpty) TensorPrimitives.Add(biasGrad, partial[shape.WeightCount..], biasGrad);
        }
    }

    /// <summary>The im2col matrix of one sample, or the sample itself when the kernel is pointwise.</summary>
    private static float* Columns(Conv2DShape shape, float* sample, Conv2DWorkspace workspace, int worker)
    {
        if (shape.IsPointwise) return sample;
        float* columns = workspace.Columns(worker, shape.PatchSize * shape.Window.OutPixels);
        Im2Col.Expand(shape.Window, shape.Channels, sample, columns);
        return columns;
    }

    private static void PrepareColumns(Conv2DShape shape, int batch, Conv2DWorkspace workspace)
    {
        if (!shape.IsPointwise) workspace.ReserveColumns(ConvBatchChunks.Workers(batch), shape.PatchSize * shape.Window.OutPixels);
    }

    private static void CheckCommon(string op, Conv2DShape shape, int batch, int imageLength, string imageName, int imageSize,
        int weightLength, Conv2DWorkspace workspace, string weightName = "weights")
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (shape.Channels == 0) throw new ArgumentException($"{op}: the shape was not built by its constructor", nameof(shape));
        ConvArguments.Batch(op, batch);
        ConvArguments.Length(op, imageName, imageLength, (long)batch * imageSize,
            $"N x C x H x W = {batch}x{shape.Channels}x{shape.Window.Height}x{shape.Window.Width}");
        ConvArguments.Length(op, weightName, weightLength, shape.WeightCount,
            $"OC x C x KH x KW = {shape.OutChannels}x{shape.Channels}x{shape.Window.KernelHeight}x{shape.Window.KernelWidth}");
    }

    private static void CheckOutput(string op, string name, Conv2DShape shape, int batch, int length) =>
        ConvArguments.Length(op, name, length, (long)batch * shape.OutputSize,
            $"N x OC x OH x OW = {batch}x{shape.OutChannels}x{shape.Window.OutHeight}x{shape.Window.OutWidth}");
}
