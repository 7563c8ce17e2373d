using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Layers;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Onnx;

/// <summary>Where an input of an ONNX node comes from.</summary>
public enum OnnxSlotKind
{
    /// <summary>A tensor of the graph: one of the layer's inputs, in order.</summary>
    Input,
    /// <summary>A trainable weight of the layer (a Conv's kernel, a Gemm's matrix).</summary>
    Parameter,
    /// <summary>A non-trainable weight of the layer (batch normalization's running mean and variance).</summary>
    State,
    /// <summary>A value fixed in the config (a Reshape's shape, a Clip's bounds).</summary>
    Constant,
    /// <summary>An optional input left out.</summary>
    Absent,
}

/// <summary>
/// One input of an ONNX node: its kind, the weight's short name and shape, or the constant's values
/// and their ONNX data type (7 for int64: a shape or axes), kept to write the node back.
/// <see cref="PerBatch"/>, for a constant computed from the batch size (a reshape to (x.size(0), −1)),
/// is how much each entry grows per unit of batch: <see cref="Values"/> hold the entries at the batch
/// the node was imported with.
/// </summary>
public sealed record OnnxSlot(OnnxSlotKind Kind, string? Weight = null, int[]? Shape = null, float[]? Values = null, int DataType = 1, float[]? PerBatch = null);

/// <summary>
/// One ONNX operator as a Sparta layer (registered "onnx_node"): what an imported model is made of.
/// Its weights are ordinary parameters, trainable unless frozen, named "node/initializer"; the
/// forward is the operator written with Sparta's taped ops (<see cref="OnnxOperators"/>). The shapes
/// it was imported with (batch axis included) are part of its config, so a saved imported model
/// loads without the ONNX file.
/// </summary>
public sealed class OnnxNode : Layer
{
    public const string RegisteredName = "onnx_node";

    private readonly OnnxSlot[] _slots;
    private readonly int[][] _inputShapes;
    private readonly int[] _outputShape;
    private readonly Tensor?[] _weights;

    public OnnxNode(string opType, int opset, OnnxAttributes attributes, IReadOnlyList<OnnxSlot> slots,
        IReadOnlyList<int[]> inputShapes, int[] outputShape, string? name = null, int output = 0) : base(name)
    {
        if (!OnnxOperators.IsSupported(opType)) throw new ArgumentException($"layer 'onnx_node': operator '{opType}' is not supported");
        if (!OnnxOperators.HasOutput(opType, output)) throw new ArgumentException($"layer 'onnx_node': operator '{opType}' has no output {output} that is supported");
        OpType = opType;
        Output = output;
        Opset = opset;
        Attributes = attributes;
        _slots = slots.ToArray();
        _inputShapes = inputShapes.Select(s => s.ToArray()).ToArray();
        _outputShape = outputShape.ToArray();
        _weights = new Tensor?[_slots.Length];
        int inputs = _slots.Count(s => s.Kind == OnnxSlotKind.Input);
        if (inputs == 0 || inputs != _inputShapes.Length)
            throw new ArgumentException($"layer 'onnx_node': {inputs} input slot(s) for {_inputShapes.Length} input shape(s)");
        if (_outputShape.Length == 0 || _inputShapes.Any(s => s.Length == 0))
            throw new ArgumentException("layer 'onnx_node': inputs and output need a batch axis");
    }

    public string OpType { get; }
    public int Opset { get; }
    public OnnxAttributes Attributes { get; }
    public IReadOnlyList<OnnxSlot> Slots => _slots;

    /// <summary>Which output of the operator this layer gives: 0, or a second one in use (MaxPool's Indices).</summary>
    public int Output { get; }

    /// <summary>The value each slot reads apart from the graph tensors: a parameter's, a state's or a constant's (null for inputs and absent ones).</summary>
    internal Tensor? SlotValue(int slot) => _weights[slot];

    public override string TypeName => RegisteredName;
    public override int MinInputs => _inputShapes.Length;
    public override int MaxInputs => _inputShapes.Length;

    protected override Shape OutputShapeFor(IReadOnlyList<Shape> inputShapes)
    {
        for (int i = 0; i < inputShapes.Count; i++)
            if (!inputShapes[i].Dims.SequenceEqual(_inputShapes[i].AsSpan(1)))
                throw new ArgumentException($"layer '{Name}': input {i} has shape {inputShapes[i]}, imported with (batch, {string.Join(", ", _inputShapes[i][1..])})");
        return new Shape(_outputShape[1..]);
    }

    protected override void BuildCore(IReadOnlyList<Shape> inputShapes, RandomGenerator random)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            _weights[i] = slot.Kind switch
            {
                OnnxSlotKind.Parameter => AddParameter(slot.Weight!, new Shape(slot.Shape!), new ConstantInitializer(0), random).Value,
                OnnxSlotKind.State => AddState(slot.Weight!, new Shape(slot.Shape!), 0f),
                OnnxSlotKind.Constant => Tensor.FromArray(slot.Values!, slot.Shape!),
                _ => null,
            };
        }
    }

    protected override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var values = new Tensor?[_slots.Length];
        for (int i = 0, next = 0; i < _slots.Length; i++)
            values[i] = _slots[i].Kind == OnnxSlotKind.Input ? inputs[next++]
                : _slots[i].PerBatch is { } growth ? AtBatch(_slots[i], growth, inputs[0].Shape[0]) : _weights[i];
        return OnnxOperators.Run(new OnnxOpContext(Name, OpType, Opset, Attributes, values, training && Trainable, Output));
    }

    /// <summary>The batch the node was imported at: the first axis of its first input then.</summary>
    public int ImportBatch => _inputShapes[0][0];

    /// <summary>A constant that follows the batch, at <paramref name="batch"/>.</summary>
    private Tensor AtBatch(OnnxSlot slot, float[] growth, int batch)
    {
        var values = new float[growth.Length];
        for (int i = 0; i < values.Length; i++) values[i] = slot.Values![i] + growth[i] * (batch - ImportBatch);
        return Tensor.FromArray(values, slot.Shape!);
    }

    protected override IEnumerable<(string Key, object Value)> ConfigParameters() =>
    [
        ("op_type", OpType),
        .. Output == 0 ? Array.Empty<(string, object)>() : [("output", (object)Output)],
        ("opset", Opset),
        ("attributes", Attributes.ToConfig()),
        ("slots", _slots.Select(SlotConfig).ToList()),
        ("input_shapes", _inputShapes.Select(s => (object)s.Select(d => (object)d).ToList()).ToList()),
        ("output_shape", _outputShape.Select(d => (object)d).ToList()),
    ];

    private static object SlotConfig(OnnxSlot slot)
    {
        var entries = new List<KeyValuePair<string, object>>();
        if (slot.Weight is not null) entries.Add(new("weight", slot.Weight));
        if (slot.Shape is not null) entries.Add(new("shape", slot.Shape.Select(d => (object)d).ToList()));
        if (slot.Values is not null) entries.Add(new("values", slot.Values.Select(v => (object)(double)v).ToList()));
        if (slot.Kind == OnnxSlotKind.Constant) entries.Add(new("data_type", slot.DataType));
        if (slot.PerBatch is not null) entries.Add(new("per_batch", slot.PerBatch.Select(v => (object)(double)v).ToList()));
        return new ComponentConfig(slot.Kind.ToString().ToLowerInvariant(), entries);
    }

    internal static OnnxNode FromConfig(ConfigReader r)
    {
        string opType = r.Choice("op_type", "", [.. OnnxOperators.Names]);
        int opset = r.Int("opset", 13);
        var attributes = OnnxAttributes.FromConfig(r.Config("attributes"));
        var slots = List(r, "slots").Select(item => item is ComponentConfig slot ? ReadSlot(r.Owner, slot)
            : throw new ArgumentException($"{r.Owner}: each of 'slots' must be a config, got {item}")).ToArray();
        var inputShapes = List(r, "input_shapes").Select(s => Ints(r.Owner, "input_shapes", s)).ToArray();
        var outputShape = Ints(r.Owner, "output_shape", r.Raw("output_shape"));
        return new OnnxNode(opType, opset, attributes, slots, inputShapes, outputShape, output: r.Int("output", 0));
    }

    private static OnnxSlot ReadSlot(string owner, ComponentConfig slot)
    {
        if (!Enum.TryParse<OnnxSlotKind>(slot.Name, ignoreCase: true, out var kind))
            throw new ArgumentException($"{owner}: unknown slot kind '{slot.Name}' (input, parameter, state, constant, absent)");
        slot.Parameters.TryGetValue("weight", out var weight);
        slot.Parameters.TryGetValue("shape", out var shape);
        slot.Parameters.TryGetValue("values", out var values);
        slot.Parameters.TryGetValue("per_batch", out var perBatch);
        int dataType = slot.Parameters.TryGetValue("data_type", out var type) && ConfigReader.AsNumber(type) is double t ? (int)t : 1;
        var result = new OnnxSlot(kind, weight as string, shape is null ? null : Ints(owner, "shape", shape), Floats(values), dataType, Floats(perBatch));
        bool valid = kind switch
        {
            OnnxSlotKind.Parameter or OnnxSlotKind.State => result.Weight is not null && result.Shape is not null,
            OnnxSlotKind.Constant => result.Shape is not null && result.Values is not null && result.Values.Length == result.Shape.Aggregate(1, (p, d) => p * d)
                && (result.PerBatch is null || result.PerBatch.Length == result.Values.Length),
            _ => true,
        };
        return valid ? result : throw new ArgumentException($"{owner}: slot '{slot.Name}' lacks its weight name, shape or values, got {slot.ToJson()}");
    }

    private static float[]? Floats(object? values) => values is IReadOnlyList<object> list
        ? list.Select(v => (float)Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()
        : null;

    private static IReadOnlyList<object> List(ConfigReader r, string key) =>
        r.Raw(key) as IReadOnlyList<object> ?? throw new ArgumentException($"{r.Owner}: '{key}' must be a list, got {r.Raw(key) ?? "nothing"}");

    private static int[] Ints(string owner, string key, object? value) => value is IReadOnlyList<object> list
        ? list.Select(v => ConfigReader.AsNumber(v) is double d && d == Math.Floor(d) ? checked((int)d)
            : throw new ArgumentException($"{owner}: '{key}' must hold integers, got {v}")).ToArray()
        : throw new ArgumentException($"{owner}: '{key}' must be a list of integers, got {value ?? "nothing"}");
}
