using ConvWindow = Sparta.Kernels.ConvWindow;
using Sparta.Layers;
using Sparta.Tensors;
using static Sparta.Onnx.OnnxGraphWriter;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>Writes one layer call as standard ONNX operators (opset 13 and later).</summary>
internal static class OnnxLayerExport
{
    /// <summary>The layer on <paramref name="inputs"/> (value names, shapes without the batch axis); returns its output's name.</summary>
    public static string Write(OnnxGraphWriter graph, Layer layer, IReadOnlyList<string> inputs, IReadOnlyList<Shape> shapes)
    {
        string hint = layer.Name;
        return layer switch
        {
            Dense dense => WriteDense(graph, dense, inputs[0], shapes[0]),
            Conv2D conv => WriteConv(graph, conv, inputs[0], shapes[0]),
            MaxPool2D { DilationRate: { Height: 1, Width: 1 } } pool => graph.Node("MaxPool", hint, inputs[0], PoolAttributes(pool, shapes[0])),
            MaxPool2D pool => WriteDilatedMaxPool(graph, pool, inputs[0], shapes[0]),
            AveragePooling2D { DilationRate: { Height: 1, Width: 1 } } pool =>
                graph.Node("AveragePool", hint, inputs[0], [.. PoolAttributes(pool, shapes[0]), Int("count_include_pad", 0)]),
            AveragePooling2D pool => WriteDilatedAveragePool(graph, pool, inputs[0], shapes[0]),
            GlobalAveragePooling2D => graph.Node("Flatten", hint, graph.Node("GlobalAveragePool", hint + "_pool", inputs[0]), Int("axis", 1)),
            BatchNormalization norm => OnnxActivationExport.Write(graph, norm.Activation, WriteBatchNormalization(graph, norm, inputs[0]), shapes[0], hint + "_activation"),
            Dropout => inputs[0],
            Flatten => graph.Node("Flatten", hint, inputs[0], Int("axis", 1)),
            Reshape reshape => graph.Node("Reshape", hint, [inputs[0], graph.Int64s(hint + "_shape", [0, .. reshape.TargetShape.Select(d => (long)d)])]),
            ActivationLayer activation => OnnxActivationExport.Write(graph, activation.Activation, inputs[0], shapes[0], hint),
            Concatenate concat => graph.Node("Concat", hint, inputs, Int("axis", concat.Axis)),
            Add => graph.Node("Sum", hint, inputs),
            OnnxNode node => WriteOnnxNode(graph, node, inputs),
            ZeroPadding2D pad => graph.Node("Pad", hint, [inputs[0], graph.Int64s(hint + "_pads", 0, 0, pad.Padding.Height, pad.Padding.Width, 0, 0, pad.Padding.Height, pad.Padding.Width)]),
            Resizing resize => WriteResize(graph, resize, inputs[0]),
            _ => throw new OnnxException($"onnx export: layer '{layer.Name}' ({layer.TypeName}) has no ONNX form"),
        };
    }

    /// <summary>
    /// Resize to (batch, C, height, width) with half-pixel centres, as Sparta samples: bilinear is
    /// ONNX's linear mode; Sparta's nearest takes floor(centre), which is ONNX's round_prefer_ceil of
    /// the half-pixel coordinate. The sizes take the batch and channels from the input's own shape.
    /// </summary>
    private static string WriteResize(OnnxGraphWriter graph, Resizing resize, string input)
    {
        string hint = resize.Name;
        string leading = graph.Node("Slice", hint + "_leading", [graph.Node("Shape", hint + "_shape", input), graph.Int64s(hint + "_start", 0), graph.Int64s(hint + "_end", 2)]);
        string sizes = graph.Node("Concat", hint + "_sizes", [leading, graph.Int64s(hint + "_size", resize.Height, resize.Width)], Int("axis", 0));
        var mode = resize.Interpolation == "nearest"
            ? new[] { Str("mode", "nearest"), Str("nearest_mode", "round_prefer_ceil") }
            : [Str("mode", "linear")];
        return graph.Node("Resize", hint, [input, "", "", sizes], [.. mode, Str("coordinate_transformation_mode", "half_pixel")]);
    }

    /// <summary>An imported operator written back as itself, its weights (as trained) and constants as initializers.</summary>
    private static string WriteOnnxNode(OnnxGraphWriter graph, OnnxNode node, IReadOnlyList<string> inputs)
    {
        if (node.Opset != graph.Opset)
            throw new OnnxException($"onnx export: layer '{node.Name}' ({node.OpType}) was imported at opset {node.Opset}; export at opset {node.Opset}");
        var names = new List<string>();
        int next = 0;
        for (int i = 0; i < node.Slots.Count; i++)
        {
            var slot = node.Slots[i];
            names.Add(slot.Kind switch
            {
                OnnxSlotKind.Input => inputs[next++],
                OnnxSlotKind.Absent => "",
                OnnxSlotKind.Constant when slot.PerBatch is not null => WriteBatchConstant(graph, node, i, inputs[0]),
                OnnxSlotKind.Constant when slot.DataType == 7 => graph.Int64s($"{node.Name}_input{i}", slot.Shape!, slot.Values!.Select(v => (long)v).ToArray()),
                _ => graph.Constant($"{node.Name}_{slot.Weight ?? $"input{i}"}", node.SlotValue(i)!),
            });
        }
        while (names.Count > 0 && names[^1].Length == 0) names.RemoveAt(names.Count - 1);
        if (node.Output == 0) return graph.Node(node.OpType, node.Name, names, [.. node.Attributes.ToProto()]);
        // A later output (MaxPool's int64 Indices) as the float Sparta computes it, so what reads it reads floats.
        var outputs = graph.NodeWithOutputs(node.OpType, node.Name + "_op", names, node.Output + 1, [.. node.Attributes.ToProto()]);
        return graph.Node("Cast", node.Name, outputs[node.Output], Int("to", 1));
    }

    /// <summary>
    /// A constant that follows the batch, computed from the input's batch as it was on import:
    /// entries at batch 0 + growth × Shape(input)[0], in int64 for a shape, in float otherwise.
    /// </summary>
    private static string WriteBatchConstant(OnnxGraphWriter graph, OnnxNode node, int i, string input)
    {
        var slot = node.Slots[i];
        string hint = $"{node.Name}_input{i}";
        var atZero = slot.Values!.Select((v, k) => v - slot.PerBatch![k] * node.ImportBatch).ToArray();
        string batch = graph.Node("Slice", hint + "_batch", [graph.Node("Shape", hint + "_shape", input), graph.Int64s(hint + "_start", 0), graph.Int64s(hint + "_end", 1)]);
        bool integer = slot.DataType == 7;
        if (!integer) batch = graph.Node("Cast", hint + "_batch_float", batch, Int("to", 1));
        string growth = integer ? graph.Int64s(hint + "_growth", slot.Shape!, slot.PerBatch!.Select(v => (long)v).ToArray()) : graph.Constant(hint + "_growth", slot.PerBatch, slot.Shape!);
        string start = integer ? graph.Int64s(hint + "_at_zero", slot.Shape!, atZero.Select(v => (long)v).ToArray()) : graph.Constant(hint + "_at_zero", atZero, slot.Shape!);
        return graph.Node("Add", hint, [start, graph.Node("Mul", hint + "_scaled", [growth, batch])]);
    }

    /// <summary>x·W + b: Gemm for a batch of vectors, MatMul and Add over the last axis of higher-rank inputs.</summary>
    private static string WriteDense(OnnxGraphWriter graph, Dense dense, string input, Shape inputShape)
    {
        string hint = dense.Name;
        string kernel = graph.Constant(hint + "_kernel", dense.Kernel.Value);
        string? bias = dense.Bias is { } b ? graph.Constant(hint + "_bias", b.Value) : null;
        string affine = inputShape.Rank == 1
            ? graph.Node("Gemm", hint + "_affine", bias is null ? [input, kernel] : [input, kernel, bias])
            : bias is null ? graph.Node("MatMul", hint + "_affine", [input, kernel])
            : graph.Node("Add", hint + "_affine", [graph.Node("MatMul", hint + "_matmul", [input, kernel]), bias]);
        var affineShape = new Shape([.. inputShape.ToArray()[..^1], dense.Kernel.Value.Shape[1]]);
        return OnnxActivationExport.Write(graph, dense.Activation, affine, affineShape, hint);
    }

    /// <summary>Conv with the explicit borders Sparta's padding gives this input (Keras' 'same' puts the odd cell after).</summary>
    private static string WriteConv(OnnxGraphWriter graph, Conv2D conv, string input, Shape inputShape)
    {
        string hint = conv.Name;
        var kernel = conv.Kernel.Value;
        var window = ConvWindow.Create(inputShape[1], inputShape[2], conv.KernelSize.Height, conv.KernelSize.Width,
            conv.Strides.Height, conv.Strides.Width, conv.Padding, conv.DilationRate.Height, conv.DilationRate.Width);
        string[] inputs = conv.Bias is { } b
            ? [input, graph.Constant(hint + "_kernel", kernel), graph.Constant(hint + "_bias", b.Value)]
            : [input, graph.Constant(hint + "_kernel", kernel)];
        string affine = graph.Node("Conv", hint + "_affine", inputs,
            Ints("kernel_shape", conv.KernelSize.Height, conv.KernelSize.Width),
            Ints("strides", conv.Strides.Height, conv.Strides.Width),
            Ints("dilations", conv.DilationRate.Height, conv.DilationRate.Width),
            Pads(window));
        var affineShape = new Shape(kernel.Shape[0], window.OutHeight, window.OutWidth);
        return OnnxActivationExport.Write(graph, conv.Activation, affine, affineShape, hint);
    }

    /// <summary>The window's attributes; dilations only when not 1 (AveragePool takes them only from opset 19), pads unless the borders are written apart.</summary>
    private static Proto.AttributeProto[] PoolAttributes(Pooling2D pool, Shape inputShape, bool pads = true)
    {
        var window = pool.Window(inputShape);
        return
        [
            Ints("kernel_shape", pool.PoolSize.Height, pool.PoolSize.Width),
            Ints("strides", pool.Strides.Height, pool.Strides.Width),
            .. pads ? new[] { Pads(window) } : [],
            .. pool.DilationRate == 1 ? [] : new[] { Ints("dilations", pool.DilationRate.Height, pool.DilationRate.Width) },
        ];
    }

    /// <summary>
    /// A dilated max pool's 'same' borders can reach the kernel's size (they cover its dilated span), which
    /// ONNX Runtime refuses in MaxPool's pads: the borders are a Pad of −∞ (never a maximum: every window
    /// has a cell inside the image) before a MaxPool without pads.
    /// </summary>
    private static string WriteDilatedMaxPool(OnnxGraphWriter graph, MaxPool2D pool, string input, Shape inputShape)
    {
        string hint = pool.Name;
        var pads = Pads(pool.Window(inputShape)).Ints;
        if (pads.All(p => p == 0)) return graph.Node("MaxPool", hint, input, PoolAttributes(pool, inputShape, pads: false));
        string padded = graph.Node("Pad", hint + "_pad",
            [input, graph.Int64s(hint + "_pads", 0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]), graph.Constant(hint + "_fill", [float.NegativeInfinity])]);
        return graph.Node("MaxPool", hint, padded, PoolAttributes(pool, inputShape, pads: false));
    }

    /// <summary>
    /// A dilated average before opset 19 (AveragePool has no dilations until then): each channel's window
    /// summed by a depthwise Conv of ones (one group per channel; the border's zeros add nothing), then
    /// multiplied by 1 / (the window's cells inside the image), as Sparta averages.
    /// </summary>
    private static string WriteDilatedAveragePool(OnnxGraphWriter graph, AveragePooling2D pool, string input, Shape inputShape)
    {
        string hint = pool.Name;
        var window = pool.Window(inputShape);
        int channels = inputShape[0];
        var ones = Tensor.Full(1f, new Shape(channels, 1, window.KernelHeight, window.KernelWidth));
        string sum = graph.Node("Conv", hint + "_sum", [input, graph.Constant(hint + "_ones", ones)],
            [.. PoolAttributes(pool, inputShape), Int("group", channels)]);
        return graph.Node("Mul", hint, [sum, graph.Constant(hint + "_reciprocal", Autograd.Ops.ReciprocalCellsInside(window))]);
    }

    /// <summary>ONNX's pads: [top, left, bottom, right], the bottom and right borders being what the output size needs beyond the input.</summary>
    private static Proto.AttributeProto Pads(ConvWindow w)
    {
        int bottom = Math.Max((w.OutHeight - 1) * w.StrideHeight + w.SpanHeight - w.Height - w.PadTop, 0);
        int right = Math.Max((w.OutWidth - 1) * w.StrideWidth + w.SpanWidth - w.Width - w.PadLeft, 0);
        return Ints("pads", w.PadTop, w.PadLeft, bottom, right);
    }

    /// <summary>The inference form: running mean and variance; γ = 1 and β = 0 where the layer learns none.</summary>
    private static string WriteBatchNormalization(OnnxGraphWriter graph, BatchNormalization norm, string input)
    {
        string hint = norm.Name;
        int channels = norm.MovingMean.Size;
        var gamma = norm.Parameters.FirstOrDefault(p => p.Name.EndsWith("/gamma", StringComparison.Ordinal))?.Value ?? Tensor.Full(1f, channels);
        var beta = norm.Parameters.FirstOrDefault(p => p.Name.EndsWith("/beta", StringComparison.Ordinal))?.Value ?? Tensor.Zeros(channels);
        return graph.Node("BatchNormalization", hint,
            [input, graph.Constant(hint + "_gamma", gamma), graph.Constant(hint + "_beta", beta),
             graph.Constant(hint + "_moving_mean", norm.MovingMean), graph.Constant(hint + "_moving_variance", norm.MovingVariance)],
            Float("epsilon", norm.Epsilon), Float("momentum", norm.Momentum));
    }
}
