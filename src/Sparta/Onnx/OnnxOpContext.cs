using Sparta.Tensors;

namespace Sparta.Onnx;

/// <summary>What an operator implementation reads: its inputs by position (null where absent), its attributes, the opset and the mode.</summary>
internal sealed class OnnxOpContext
{
    private readonly Tensor?[] _inputs;

    public OnnxOpContext(string node, string opType, int opset, OnnxAttributes attributes, Tensor?[] inputs, bool training = false, int output = 0)
    {
        Node = node;
        Output = output;
        Training = training;
        OpType = opType;
        Opset = opset;
        Attributes = attributes;
        _inputs = inputs;
    }

    public string Node { get; }
    public string OpType { get; }
    public int Opset { get; }
    public OnnxAttributes Attributes { get; }
    public int Count => _inputs.Length;

    /// <summary>Which of the node's outputs is computed: 0, or a second output in use (MaxPool's Indices).</summary>
    public int Output { get; }

    /// <summary>Whether the node runs in training mode: a training pass, and the node not frozen (batch normalization then uses the batch's statistics).</summary>
    public bool Training { get; }

    public Tensor Input(int i) => Optional(i) ?? throw Fail($"input {i} is missing");

    public Tensor? Optional(int i) => i < _inputs.Length ? _inputs[i] : null;

    /// <summary>Every input present, in order (variadic operators: Sum, Concat, Max, ...).</summary>
    public IReadOnlyList<Tensor> All => _inputs.Where(t => t is not null).Select(t => t!).ToArray();

    /// <summary>An integer vector input (a shape, axes, pads), or null when absent.</summary>
    public long[]? Longs(int i) => Optional(i)?.ToArray().Select(v => (long)v).ToArray();

    /// <summary>Axes given by the attribute (older opsets) or by input <paramref name="input"/> (newer ones).</summary>
    public long[]? Axes(int input) => Attributes.Ints("axes") ?? Longs(input);

    /// <summary>A scalar input, or <paramref name="fallback"/> when absent.</summary>
    public float Scalar(int i, float fallback) => Optional(i) is { } t
        ? t.Size == 1 ? t.Span[0] : throw Fail($"input {i} must be a scalar, got shape {t.Shape}")
        : fallback;

    /// <summary>An axis counted from the end when negative, checked against <paramref name="rank"/>.</summary>
    public int Axis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        return a >= 0 && a < rank ? (int)a : throw Fail($"axis {axis} is out of range for rank {rank}");
    }

    public OnnxException Fail(string problem) => new($"node '{Node}' ({OpType}): {problem}");
}
