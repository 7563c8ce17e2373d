namespace Sparta.Kernels;

/// <summary>The work of one chunk of a forward or backward pass: structs, so that splitting a batch allocates nothing.</summary>
internal static unsafe partial class Conv2DKernel
{
    /// <summary>A chunk's forward pass: sample by sample into the output, or one wide GEMM into the staging matrix, then scattered.</summary>
    private readonly struct ForwardChunk(Conv2DShape shape, float* input, float* weights, float* bias, float* output,
        Conv2DWorkspace workspace, BiasActivationKind activation, float alpha) : IChunkBody
    {
        public void Run(int chunk, int start, int count, int worker)
        {
            if (ForwardsSampleBySample(shape))
            {
                for (int n = start; n < start + count; n++)
                    ForwardSample(shape, input + (long)n * shape.InputSize, weights, bias, output + (long)n * shape.OutputSize,
                        workspace.Columns(worker), activation, alpha);
                return;
            }
            int width = count * shape.Window.OutPixels;
            float* columns = ExpandChunk(shape, input, start, count, workspace.Columns(worker));
            float* staged = workspace.Staging(worker);
            Gemm.Multiply(Transpose.No, Transpose.No, shape.OutChannels, width, shape.PatchSize, weights, columns, staged);
            Unstage(shape, staged, start, count, output, bias, activation, alpha);
        }
    }

    /// <summary>Which gradients a backward pass computes and by which kernel: see <see cref="RunBackward"/>.</summary>
    private readonly record struct BackwardPlan(bool Input, bool Weights, bool Bias, bool SmallPatch, bool BlockedWeights, bool Direct,
        bool Accumulate, int Lanes);

    /// <summary>
    /// A chunk's backward pass: its weight gradient into its partial sum (or straight into the gradient when
    /// <see cref="BackwardPlan.Direct"/>), then its input gradient by a GEMM and col2im.
    /// </summary>
    private readonly struct BackwardChunk(Conv2DShape shape, BackwardPlan plan, float* input, float* outputGrad, float* weights,
        float* inputGrad, float* weightGrad, float* biasGrad, float* reluOutput, int* offsets, float* partials, Conv2DWorkspace workspace) : IChunkBody
    {
        public void Run(int chunk, int start, int count, int worker)
        {
            int oc = shape.OutChannels, patch = shape.PatchSize, partialSize = shape.WeightCount + oc;
            int pixels = shape.Window.OutPixels, width = count * pixels;
            float* columns = workspace.Columns(worker);
            float* staged = (plan.SmallPatch || plan.BlockedWeights) && !plan.Input ? null : Stage(shape, outputGrad, start, count, workspace.Staging(worker));
            if (plan.Weights)
            {
                float* weightSum = plan.Direct ? weightGrad : partials + (long)chunk * partialSize;
                float* biasSum = plan.Direct ? biasGrad : weightSum + shape.WeightCount;
                if (plan.SmallPatch)
                {
                    new Span<float>(weightSum, partialSize).Clear();
                    for (int n = start; n < start + count; n++)
                        AccumulateSmallPatch(shape, input + (long)n * shape.InputSize, outputGrad + (long)n * shape.OutputSize, columns, weightSum, biasSum);
                }
                else if (plan.BlockedWeights)
                    Conv2DBlockedWeightGradient.Chunk(shape, plan.Lanes, input, outputGrad, start, count, offsets, columns, weightSum, biasSum, reluOutput);
                else
                {
                    ExpandChunk(shape, input, start, count, columns);
                    Gemm.Multiply(Transpose.No, Transpose.Yes, oc, patch, width, staged, columns, weightSum);
                    if (plan.Bias)
                        for (int o = 0; o < oc; o++) biasSum[o] = BiasActivation.Sum(staged + (long)o * width, width);
                }
            }
            if (!plan.Input) return;
            Gemm.Multiply(Transpose.Yes, Transpose.No, patch, width, oc, weights, staged, columns);
            float* target = inputGrad + (long)start * shape.InputSize;
            if (!plan.Accumulate) new Span<float>(target, count * shape.InputSize).Clear();
            Im2Col.Accumulate(shape.Window, shape.Channels, columns, width, count, target, shape.InputSize);
        }
    }
}
