using System.Runtime.CompilerServices;
using Sparta.Kernels;

namespace Sparta.Tensors;

// Convolution and pooling on NCHW tensors: shape checks and allocation around Sparta.Kernels.Conv2D and Pool2D.
public static partial class TensorMath
{
    /// <summary>Scratch memory of the convolutions run on this thread; kept so repeated steps allocate no im2col buffers.</summary>
    [ThreadStatic] private static Conv2DWorkspace? _convWorkspace;

    private static Conv2DWorkspace ConvWorkspace => _convWorkspace ??= new Conv2DWorkspace();

    /// <summary>
    /// Each weight tensor's values packed for the channels-blocked convolution, so a model's layer
    /// packs once, not at every call; an entry whose source values changed (a training step) is packed
    /// again in place, so training allocates nothing per step. Threads serving one model concurrently
    /// find its weights unchanged and only read.
    /// </summary>
    private static readonly ConditionalWeakTable<Tensor, Conv2DPackedWeights> PackedWeights = new();

    /// <summary>The convolution of x (N, C, H, W) with weights (OC, C, KH, KW) that the shapes, stride, padding and dilation describe.</summary>
    internal static Conv2DShape ConvShape(Tensor x, Tensor weights, Size2D stride, ConvPadding padding, Size2D? dilation = null)
    {
        if (x.Rank != 4 || weights.Rank != 4 || weights.Shape[1] != x.Shape[1])
            throw new ArgumentException($"conv2d: expected input (N, C, H, W) and weights (OC, C, KH, KW), got {x.Shape} and {weights.Shape}");
        return ConvShape(Shape.Of(x.Shape.Dims[1..]), weights, stride, padding, dilation);
    }

    /// <summary>The convolution of one sample shaped (C, H, W) with weights (OC, C, KH, KW) that stride, padding and dilation describe.</summary>
    internal static Conv2DShape ConvShape(Shape sample, Tensor weights, Size2D stride, ConvPadding padding, Size2D? dilation = null)
    {
        if (sample.Rank != 3 || weights.Rank != 4 || weights.Shape[1] != sample[0])
            throw new ArgumentException($"conv2d: expected a sample (C, H, W) and weights (OC, C, KH, KW), got {sample} and {weights.Shape}");
        var rate = dilation ?? 1;
        var window = ConvWindow.Create(sample[1], sample[2], weights.Shape[2], weights.Shape[3], stride.Height, stride.Width, padding, rate.Height, rate.Width);
        return new Conv2DShape(sample[0], weights.Shape[0], window);
    }

    /// <summary>f(conv(x, weights) + bias), NCHW, f fused into the pass writing the output; <paramref name="bias"/> (OC) may be null.</summary>
    internal static Tensor Conv2D(Tensor x, Tensor weights, Tensor? bias, Size2D stride, ConvPadding padding,
        BiasActivationKind activation = BiasActivationKind.Identity, float alpha = 0f, Tensor? result = null) =>
        Conv2D(x, weights, bias, ConvShape(x, weights, stride, padding), activation, alpha, result);

    /// <summary>The convolution of x (N, C, H, W) with weights (OC, C, KH, KW) over an explicit window (uneven borders).</summary>
    internal static Conv2DShape ConvShape(Tensor x, Tensor weights, ConvWindow window)
    {
        if (x.Rank != 4 || weights.Rank != 4 || weights.Shape[1] != x.Shape[1] || window.Height != x.Shape[2] || window.Width != x.Shape[3]
            || window.KernelHeight != weights.Shape[2] || window.KernelWidth != weights.Shape[3])
            throw new ArgumentException($"conv2d: expected input (N, C, H, W) and weights (OC, C, KH, KW) matching the window, got {x.Shape} and {weights.Shape}");
        return new Conv2DShape(x.Shape[1], weights.Shape[0], window);
    }

    /// <summary>f(conv(x, weights) + bias) for a planned <paramref name="shape"/>.</summary>
    internal static Tensor Conv2D(Tensor x, Tensor weights, Tensor? bias, Conv2DShape shape,
        BiasActivationKind activation = BiasActivationKind.Identity, float alpha = 0f, Tensor? result = null)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Size != shape.OutChannels))
            throw new ArgumentException($"conv2d: bias must have shape ({shape.OutChannels}), got {bias.Shape}");
        int batch = x.Shape[0];
        result = Prepare("conv2d", result, Shape.Of([batch, shape.OutChannels, shape.Window.OutHeight, shape.Window.OutWidth]));
        var biasValues = bias is null ? default : bias.Span;
        Kernels.Conv2DKernel.Forward(shape, batch, x.Span, weights.Span, biasValues, result.Span, ConvWorkspace,
            activation, alpha, Packed(shape, weights, biasValues));
        return result;
    }

    /// <summary>
    /// A convolution as a stage of <see cref="Conv2DChain"/>, max pooled over <paramref name="pool"/>
    /// when given; null when the blocked kernels do not take this shape, window or activation (a
    /// pooled stage needs ReLU or the identity).
    /// </summary>
    internal static Conv2DBlockedStage? BlockedStage(Conv2DShape shape, Tensor weights, Tensor? bias, BiasActivationKind activation, float alpha,
        ConvWindow? pool)
    {
        if (!Conv2DBlocked.Handles(shape)) return null;
        var stage = new Conv2DBlockedStage(shape, Packed(shape, weights, bias is null ? default : bias.Span)!, activation, alpha, pool);
        return pool is { } window && (!stage.Fused || !Conv2DBlockedPool.Handles(window)) ? null : stage;
    }

    /// <summary>
    /// Consecutive convolutions (and the max poolings after them) in one pass over the batch, for
    /// inference: the values of the layers run one by one, only the last one's output written.
    /// </summary>
    internal static Tensor Conv2DChain(Tensor x, IReadOnlyList<Conv2DBlockedStage> stages)
    {
        var last = stages[^1];
        var result = Tensor.Uninitialized(new Shape(x.Shape[0], last.Shape.OutChannels, last.OutHeight, last.OutWidth));
        Kernels.Conv2DKernel.ForwardChain(stages, x.Shape[0], x.Span, result.Span, ConvWorkspace);
        return result;
    }

    /// <summary>
    /// Max pooling over <paramref name="pool"/> of ReLU(conv(x, weights) + bias), x (N, C, H, W), at <paramref name="lanes"/>
    /// (<see cref="Conv2DKernel.PooledLanes"/>): the pooled output (N, OC, PH, PW) and the window cell of each pooled value
    /// (<see cref="Conv2DKernel.BackwardPooled"/> reads them); the convolution's output is never written.
    /// </summary>
    internal static (Tensor Output, Tensor Cells) Conv2DReluMaxPool(Tensor x, Tensor weights, Tensor? bias, Conv2DShape shape, ConvWindow pool, int lanes)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Size != shape.OutChannels))
            throw new ArgumentException($"conv2d: bias must have shape ({shape.OutChannels}), got {bias.Shape}");
        int batch = x.Shape[0];
        var packed = Packed(shape, weights, bias is null ? default : bias.Span);
        if (packed?.Lanes != lanes) throw new ArgumentException($"conv2d max pool: {shape} is packed at {packed?.Lanes ?? 0} lanes here, not {lanes}");
        var output = Tensor.Uninitialized(Shape.Of([batch, shape.OutChannels, pool.OutHeight, pool.OutWidth]));
        var cells = Tensor.Uninitialized(Shape.Of([batch * Conv2DKernel.PooledCellsLength(shape, pool, lanes)]));
        Conv2DKernel.ForwardPooled(shape, pool, batch, x.Span, packed, output.Span, cells.Span, ConvWorkspace);
        return (output, cells);
    }

    /// <summary>
    /// The gradients of <see cref="Conv2DReluMaxPool"/> from its output's gradient g: with respect to x (when
    /// <paramref name="input"/>, else null) and to the weights and bias (when <paramref name="bias"/>, else null), summed over the batch.
    /// </summary>
    internal static (Tensor? Input, Tensor Weights, Tensor? Bias) Conv2DReluMaxPoolGradients(Conv2DShape shape, ConvWindow pool, int lanes,
        Tensor x, Tensor weights, Tensor output, Tensor cells, Tensor g, bool input, bool bias)
    {
        var dx = input ? Tensor.Uninitialized(x.Shape) : null;
        var dw = Tensor.Uninitialized(weights.Shape);
        var db = bias ? Tensor.Uninitialized(Shape.Of([shape.OutChannels])) : null;
        Conv2DKernel.BackwardPooled(shape, pool, lanes, x.Shape[0], x.Span, g.Span, output.Span, cells.Span, weights.Span,
            dx is null ? default : dx.Span, dw.Span, db is null ? default : db.Span, ConvWorkspace);
        return (dx, dw, db);
    }

    /// <summary>The weights packed for <see cref="Conv2DBlocked"/> when it takes this shape, else null.</summary>
    private static Conv2DPackedWeights? Packed(Conv2DShape shape, Tensor weights, ReadOnlySpan<float> bias)
    {
        int lanes = Conv2DBlocked.LanesFor(shape);
        if (lanes == 0) return null;
        if (PackedWeights.TryGetValue(weights, out var packed) && packed.Fits(shape, lanes, bias.Length))
        {
            if (!packed.Holds(weights.Span, bias)) packed.Repack(weights.Span, bias);
            return packed;
        }
        packed = Conv2DPackedWeights.Pack(shape, lanes, weights.Span, bias);
        PackedWeights.AddOrUpdate(weights, packed);
        return packed;
    }

    /// <summary>
    /// The gradients of a convolution from its output gradient g, in one pass over the batch: with
    /// respect to the input (when <paramref name="input"/>) and to the weights and bias, summed over
    /// the batch (when <paramref name="parameters"/>); the ones not asked for are null. With
    /// <paramref name="reluOutput"/> (where <see cref="Conv2DKernel.FusesRelu"/> allows it) g is the gradient of
    /// that ReLU output, turned into the pre-activation gradient as the kernels read it, by the kernels of
    /// <paramref name="lanes"/> (those the caller checked it with).
    /// </summary>
    internal static (Tensor? Input, Tensor? Weights, Tensor? Bias) Conv2DGradients(Conv2DShape shape, Tensor x, Tensor weights, Tensor g,
        bool input, bool parameters, Tensor? reluOutput = null, Conv2DBackwardLanes? lanes = null)
    {
        var dx = input ? Tensor.Uninitialized(x.Shape) : null;
        var dw = parameters ? Tensor.Uninitialized(weights.Shape) : null;
        var db = parameters ? Tensor.Uninitialized(Shape.Of([shape.OutChannels])) : null;
        int batch = x.Shape[0];
        if (reluOutput is not null)
            Kernels.Conv2DKernel.Backward(shape, batch, x.Span, g.Span, weights.Span, dx is null ? default : dx.Span,
                dw is null ? default : dw.Span, db is null ? default : db.Span, ConvWorkspace, reluOutput: reluOutput.Span, lanes: lanes);
        else if (dx is not null && dw is not null)
            Kernels.Conv2DKernel.Backward(shape, batch, x.Span, g.Span, weights.Span, dx.Span, dw.Span, db!.Span, ConvWorkspace);
        else if (dx is not null)
            Kernels.Conv2DKernel.BackwardInput(shape, batch, g.Span, weights.Span, dx.Span, ConvWorkspace);
        else if (dw is not null)
            Kernels.Conv2DKernel.BackwardWeights(shape, batch, x.Span, g.Span, dw.Span, db!.Span, ConvWorkspace);
        return (dx, dw, db);
    }

    /// <summary>The pooling window over the last two axes of x (N, C, H, W); stride defaults to the pool size, as in Keras.</summary>
    internal static ConvWindow PoolWindow(string op, Tensor x, Size2D poolSize, Size2D? stride, ConvPadding padding, Size2D dilation)
    {
        if (x.Rank != 4) throw new ArgumentException($"{op}: expected input (N, C, H, W), got {x.Shape}");
        var step = stride ?? poolSize;
        return ConvWindow.Create(x.Shape[2], x.Shape[3], poolSize.Height, poolSize.Width, step.Height, step.Width, padding, dilation.Height, dilation.Width);
    }

    /// <summary>Max pooling; <paramref name="argmax"/> receives, per output, the index of its input inside the (H, W) plane.</summary>
    internal static Tensor MaxPool2D(Tensor x, ConvWindow window, Span<int> argmax, Tensor? result = null)
    {
        result = Prepare("max_pool2d", result, PooledShape(x, window));
        Pool2D.MaxForward(window, x.Shape[0] * x.Shape[1], x.Span, result.Span, argmax);
        return result;
    }

    /// <summary>Max pooling's values alone (no indices: nothing will be backpropagated), for a window <see cref="Pool2DMaxValues"/> handles.</summary>
    internal static Tensor MaxPool2DValues(Tensor x, ConvWindow window)
    {
        var result = Tensor.Uninitialized(PooledShape(x, window));
        Pool2DMaxValues.Forward(window, x.Shape[0] * x.Shape[1], x.Span, result.Span);
        return result;
    }

    internal static Tensor AveragePool2D(Tensor x, ConvWindow window, Tensor? result = null)
    {
        result = Prepare("average_pool2d", result, PooledShape(x, window));
        Pool2D.AverageForward(window, x.Shape[0] * x.Shape[1], x.Span, result.Span);
        return result;
    }

    private static Shape PooledShape(Tensor x, ConvWindow window) => Shape.Of([x.Shape[0], x.Shape[1], window.OutHeight, window.OutWidth]);
}
