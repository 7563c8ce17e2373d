using Sparta.Autograd;
using Sparta.Models;
using Sparta.Tensors;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>Walks an ONNX graph in its (topological) node order, turning nodes into layers or folding them into constants.</summary>
internal sealed class OnnxGraphReader
{
    /// <summary>
    /// A value of the graph: a tensor computed at run time (with its shape at the import batch), a
    /// constant, or an initializer; with its ONNX data type (integers are held as floats).
    /// <see cref="Shifted"/> is the same value computed with a batch one larger (when the graph reads
    /// shapes), null where it does not follow the batch: a constant computed from a <c>Shape</c>
    /// differs there, so a reshape to (x.size(0), −1) learns which of its entries is the batch.
    /// </summary>
    private sealed record Value(SymbolicTensor? Symbolic, Tensor Reference, bool IsInitializer, int DataType = Float, Tensor? Shifted = null)
    {
        public bool IsRuntime => Symbolic is not null;

        /// <summary>How much each entry of a constant grows per unit of batch, or null when none depends on the batch.</summary>
        public float[]? PerBatch()
        {
            if (Shifted is null || IsRuntime) return null;
            var (reference, shifted) = (Reference.ToArray(), Shifted.ToArray());
            // An entry that did not change grows by 0: the difference of equal infinities (a Pad's −∞ fill) or NaNs would be NaN.
            var growth = shifted.Select((v, i) => v == reference[i] || float.IsNaN(v) && float.IsNaN(reference[i]) ? 0 : v - reference[i]).ToArray();
            return growth.Any(g => g != 0) ? growth : null;
        }
    }

    private readonly Proto.ModelProto _proto;
    private readonly IReadOnlyDictionary<string, Tensor> _fixed;
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _weights = new(StringComparer.Ordinal);
    private readonly HashSet<string> _layerNames = new(StringComparer.Ordinal);
    private readonly int _opset;
    private bool _followsBatch;
    private HashSet<string> _outputs = [];
    private readonly Dictionary<string, Data.Preprocessing.TabularEncoder> _tabular = new(StringComparer.Ordinal);

    /// <summary>After <see cref="Read"/>: the encoding of each model input made of CSV columns, by input name.</summary>
    public IReadOnlyDictionary<string, Data.Preprocessing.TabularEncoder> Tabular => _tabular;
    private const int Float = (int)Proto.TensorProto.Types.DataType.Float;
    private const int Int64 = (int)Proto.TensorProto.Types.DataType.Int64;

    public OnnxGraphReader(Proto.ModelProto proto, IReadOnlyDictionary<string, Tensor>? fixedInputs)
    {
        _proto = proto;
        _fixed = fixedInputs ?? new Dictionary<string, Tensor>();
        var opset = proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        _opset = opset is null ? 1 : (int)opset.Version;
    }

    public Model Read(string fallbackName)
    {
        var graph = _proto.Graph;
        // Only a Shape reads the batch as a number; without one, every value follows the batch by itself.
        _followsBatch = graph.Node.Any(n => n.OpType == "Shape");
        foreach (var initializer in graph.Initializer)
        {
            var tensor = OnnxTensors.Read(initializer, $"initializer '{initializer.Name}'");
            _values[initializer.Name] = new Value(null, tensor, OnnxTensors.IsFloat(initializer.DataType), initializer.DataType, tensor);
        }
        var inputs = new List<SymbolicTensor>();
        var fronts = OnnxTabularImport.Find(graph);
        var frontNodes = fronts.SelectMany(f => f.Nodes).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Input.Where(i => !_values.ContainsKey(i.Name)))
        {
            if (_fixed.TryGetValue(input.Name, out var value))
            {
                _values[input.Name] = new Value(null, value, false, input.Type?.TensorType?.ElemType ?? Float, value);
                continue;
            }
            // A CSV input's columns are one model input, where its first column is.
            if (fronts.FirstOrDefault(f => f.Columns.Contains(input.Name)) is { } front)
            {
                if (front.Columns[0] != input.Name) continue;
                int batch = input.Type?.TensorType?.Shape?.Dim.FirstOrDefault() is { ValueCase: Proto.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue } d ? (int)d.DimValue : 1;
                AddInput(inputs, Model.Input([front.Encoder.FeatureCount], front.Input), Tensor.Zeros(batch, front.Encoder.FeatureCount));
                _tabular[front.Input] = front.Encoder;
                continue;
            }
            var (symbolic, reference) = ReadInput(input);
            AddInput(inputs, symbolic, reference, input.Type!.TensorType.ElemType);   // ReadInput checked the type
        }
        var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
        _outputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var readers = graph.Node.SelectMany(n => n.Input.Select(input => (input, n))).ToLookup(p => p.input, p => p.n, StringComparer.Ordinal);
        var fusedAdds = new HashSet<Proto.NodeProto>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Node)
        {
            if (fusedAdds.Contains(node) || frontNodes.Contains(node)) continue;
            if (DenseForm(node, readers) is var (gemm, add)) { fusedAdds.Add(add); ReadNode(gemm, used); }
            else ReadNode(node, used);
        }

        if (graph.Output.Count == 0) throw new OnnxException("the graph has no output");
        var outputs = graph.Output.Select(o =>
        {
            var output = _values.GetValueOrDefault(o.Name) ?? throw new OnnxException($"output '{o.Name}' is computed by no node");
            return output.IsRuntime && !output.Symbolic!.IsInput ? output.Symbolic
                : throw new OnnxException($"output '{o.Name}' does not depend on the inputs through any operator");
        }).ToArray();
        if (outputs.Distinct(ReferenceEqualityComparer.Instance).Count() != outputs.Length)
            throw new OnnxException($"two outputs ({string.Join(", ", graph.Output.Select(o => o.Name))}) are the same value; a Sparta model's outputs are distinct");
        if (inputs.Count == 0) throw new OnnxException("the graph has no data input");
        string name = string.IsNullOrWhiteSpace(graph.Name) ? fallbackName : graph.Name;
        var model = new Model(inputs, outputs, name);
        model.SetWeights(_weights);
        return model;
    }

    private void AddInput(List<SymbolicTensor> inputs, SymbolicTensor symbolic, Tensor reference, int dataType = Float)
    {
        inputs.Add(symbolic);
        _layerNames.Add(symbolic.InputName!);
        _values[symbolic.InputName!] = new Value(symbolic, reference, false, dataType, Shifted: _followsBatch ? Tensor.Zeros(Grown(reference.Shape.ToArray())) : null);
    }

    /// <summary>
    /// A float input (batch, ...), or one of 8- or 16-bit integers (exact in float, and read as floats):
    /// the first axis is the batch (its declared size, or 1 when dynamic), the others must be fixed.
    /// </summary>
    private (SymbolicTensor Symbolic, Tensor Reference) ReadInput(Proto.ValueInfoProto input)
    {
        var type = input.Type?.TensorType ?? throw new OnnxException($"input '{input.Name}' is not a tensor");
        if (!OnnxTensors.IsFloat(type.ElemType) && !OnnxTensors.IsSmallInteger(type.ElemType))
            throw new OnnxException($"input '{input.Name}' has element type {(Proto.TensorProto.Types.DataType)type.ElemType}; only float and 8- or 16-bit integer inputs are data (give its value as a fixed input)");
        var dims = type.Shape?.Dim ?? throw new OnnxException($"input '{input.Name}' has no declared shape");
        if (dims.Count == 0) throw new OnnxException($"input '{input.Name}' is a scalar; inputs need a batch axis");
        var shape = new int[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            bool known = dims[i].ValueCase == Proto.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;
            if (i == 0) shape[i] = known ? (int)dims[i].DimValue : 1;
            else shape[i] = known ? (int)dims[i].DimValue : throw new OnnxException($"input '{input.Name}' has a dynamic axis {i} ('{dims[i].DimParam}'); only the batch axis may be dynamic");
        }
        return (Model.Input(shape[1..], input.Name), Tensor.Zeros(shape));
    }

    private void ReadNode(Proto.NodeProto node, HashSet<string> used)
    {
        string label = string.IsNullOrEmpty(node.Name) ? node.Output.FirstOrDefault() ?? node.OpType : node.Name;
        string owner = $"node '{label}' ({node.OpType})";
        if (node.Domain is not ("" or "ai.onnx"))
            throw new OnnxException($"operator '{node.OpType}' of domain '{node.Domain}' (node '{label}') is not supported");
        if (node.OpType == "Constant")
        {
            var (constant, type) = ConstantValue(node, owner);
            _values[node.Output[0]] = new Value(null, constant, false, type, constant);
            return;
        }
        if (!OnnxOperators.IsSupported(node.OpType))
            throw new OnnxException($"operator '{node.OpType}' (node '{label}') is not supported");
        var laterOutputs = Enumerable.Range(1, Math.Max(node.Output.Count - 1, 0)).Where(k => node.Output[k].Length > 0 && used.Contains(node.Output[k])).ToArray();
        foreach (int k in laterOutputs.Where(k => !OnnxOperators.HasOutput(node.OpType, k)))
            throw new OnnxException($"{owner}: its output {k} ('{node.Output[k]}') is used; only the first output is supported");

        var attributes = OnnxAttributes.FromProto(node, owner);
        var inputs = node.Input.Select(name => name.Length == 0 ? null
            : _values.GetValueOrDefault(name) ?? throw new OnnxException($"{owner}: input '{name}' is computed by no earlier node")).ToArray();
        if (inputs.FirstOrDefault(v => v is { IsRuntime: true } && !OnnxTensors.IsFloat(v.DataType)) is { } integer && !OnnxOperators.KeepsIntegers(node.OpType))
            throw new OnnxException($"{owner}: reads {(Proto.TensorProto.Types.DataType)integer.DataType} data, and only operators that move or compare values (MaxPool, Max, Clip, Reshape, ...) run on integers; its integer arithmetic is not supported");
        foreach (int k in laterOutputs.Prepend(0)) ReadOutput(node, k, label, owner, attributes, inputs);
    }

    /// <summary>Output <paramref name="output"/> of the node: a constant when it computes from constants alone (or is a Shape), else a layer.</summary>
    private void ReadOutput(Proto.NodeProto node, int output, string label, string owner, OnnxAttributes attributes, Value?[] inputs)
    {
        var context = new OnnxOpContext(label, node.OpType, _opset, attributes, inputs.Select(v => v?.Reference).ToArray(), output: output);
        Tensor reference;
        try { using (Tape.NoGrad()) reference = OnnxOperators.Run(context); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or NullReferenceException or InvalidCastException)
        {
            throw new OnnxException($"{owner}: {e.Message}", e);
        }
        // Shapes and everything computed from constants alone are constants of the model.
        bool folds = node.OpType == "Shape" || inputs.All(v => v is null || !v.IsRuntime);
        int type = (node.OpType, output) switch
        {
            ("Shape", _) or ("MaxPool", 1) => Int64,
            ("Cast", _) => (int)attributes.Int("to", Float),
            _ when folds => inputs.FirstOrDefault(v => v is not null)?.DataType ?? Float,
            // At run time integers pass only through the operators that keep them (the others refuse them).
            _ => OnnxOperators.KeepsIntegers(node.OpType) ? inputs.First(v => v is { IsRuntime: true })!.DataType : Float,
        };
        var shifted = Shifted(node, output, attributes, inputs, reference, folds);
        if (folds)
        {
            _values[node.Output[output]] = new Value(null, reference, false, type, shifted);
            return;
        }
        if (reference.Rank == 0) throw new OnnxException($"{owner}: its output is a scalar; layer outputs need a batch axis");

        // A node giving a graph output is named after it, so the model's outputs keep the file's names.
        string layerName = UniqueName(_outputs.Contains(node.Output[output]) ? node.Output[output] : output == 0 ? label : $"{label}_output{output}");
        var slots = new OnnxSlot[inputs.Length];
        var runtime = new List<Value>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var value = inputs[i];
            if (value is null) { slots[i] = new OnnxSlot(OnnxSlotKind.Absent); continue; }
            if (value.IsRuntime) { slots[i] = new OnnxSlot(OnnxSlotKind.Input); runtime.Add(value); continue; }
            if (!value.IsInitializer || OnnxOperators.ReadsAsNumbers(node.OpType, i))
            {
                slots[i] = new OnnxSlot(OnnxSlotKind.Constant, Shape: value.Reference.Shape.ToArray(), Values: value.Reference.ToArray(), DataType: value.DataType,
                    PerBatch: value.PerBatch());
                continue;
            }
            string weight = WeightName(node.Input[i], i, slots);
            bool state = node.OpType == "BatchNormalization" && i >= 3; // running mean and variance
            slots[i] = new OnnxSlot(state ? OnnxSlotKind.State : OnnxSlotKind.Parameter, weight, value.Reference.Shape.ToArray());
            _weights[$"{layerName}/{weight}"] = value.Reference;
        }
        var layer = new OnnxNode(node.OpType, _opset, attributes, slots, runtime.Select(v => v.Reference.Shape.ToArray()).ToArray(),
            reference.Shape.ToArray(), layerName, output);
        var symbolic = layer.Call(runtime.Select(v => v.Symbolic!).ToArray());
        _values[node.Output[output]] = new Value(symbolic, reference, false, type, shifted);
    }

    /// <summary>
    /// The node's output with the batch one larger, or null when the graph reads no shapes, an input
    /// does not follow the batch, or the output does not: a run-time output must grow by one along
    /// its first axis alone (a reshape to a fixed batch does not), a constant must keep its shape.
    /// </summary>
    private Tensor? Shifted(Proto.NodeProto node, int output, OnnxAttributes attributes, Value?[] inputs, Tensor reference, bool folds)
    {
        if (!_followsBatch || (!folds && reference.Rank == 0) || inputs.Any(v => v is not null && v.Shifted is null)) return null;
        var context = new OnnxOpContext(node.Name, node.OpType, _opset, attributes, inputs.Select(v => v?.Shifted).ToArray(), output: output);
        Tensor shifted;
        try { using (Tape.NoGrad()) shifted = OnnxOperators.Run(context); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or OnnxException)
        {
            return null; // the node holds only at the declared batch (a reshape to a fixed batch)
        }
        var expected = folds ? reference.Shape.ToArray() : Grown(reference.Shape.ToArray());
        return shifted.Shape.Dims.SequenceEqual(expected) ? shifted : null;
    }

    private static int[] Grown(int[] shape)
    {
        var grown = shape.ToArray();
        grown[0]++;
        return grown;
    }

    /// <summary>
    /// A MatMul of a batch of rows by a weight matrix whose only reader adds a bias vector (how Keras'
    /// Dense and PyTorch's x @ W + b are written) as the one Gemm it means, so it runs as a dense layer
    /// does (one GEMM, the bias in its epilogue) and exports back as one operator; null for any other node.
    /// </summary>
    private (Proto.NodeProto Gemm, Proto.NodeProto Add)? DenseForm(Proto.NodeProto node, ILookup<string, Proto.NodeProto> readers)
    {
        if (node.OpType != "MatMul" || node.Input.Count != 2 || _outputs.Contains(node.Output[0])) return null;
        var add = readers[node.Output[0]].ToArray() is [{ OpType: "Add", Input.Count: 2 } only] ? only : null;
        if (add is null) return null;
        string biasName = add.Input[0] == node.Output[0] ? add.Input[1] : add.Input[0];
        var (x, weights, bias) = (_values.GetValueOrDefault(node.Input[0]), _values.GetValueOrDefault(node.Input[1]), _values.GetValueOrDefault(biasName));
        bool dense = x is { IsRuntime: true, Reference.Rank: 2 } && weights is { IsInitializer: true, Reference.Rank: 2 }
            && bias is { IsInitializer: true, Reference.Rank: 1 } && bias.Reference.Size == weights.Reference.Shape[1];
        if (!dense) return null;
        var gemm = new Proto.NodeProto { OpType = "Gemm", Name = node.Name, Domain = node.Domain };
        gemm.Input.AddRange(new[] { node.Input[0], node.Input[1], biasName });
        gemm.Output.Add(add.Output[0]);
        return (gemm, add);
    }

    private static (Tensor Value, int DataType) ConstantValue(Proto.NodeProto node, string owner)
    {
        foreach (var a in node.Attribute)
            switch (a.Name)
            {
                case "value": return (OnnxTensors.Read(a.T, owner), a.T.DataType);
                case "value_float": return (Tensor.FromArray([a.F]), Float);
                case "value_floats": return (Tensor.FromArray(a.Floats.ToArray(), a.Floats.Count), Float);
                case "value_int": return (Tensor.FromArray([(float)a.I]), Int64);
                case "value_ints": return (Tensor.FromArray(a.Ints.Select(v => (float)v).ToArray(), a.Ints.Count), Int64);
            }
        throw new OnnxException($"{owner}: has no value attribute this importer reads (value, value_float(s), value_int(s))");
    }

    /// <summary>The node's name made a valid, unique layer name ('/' separates layer and weight in Sparta's names).</summary>
    private string UniqueName(string label)
    {
        string name = label.Replace('/', '_').Trim('_');
        if (name.Length == 0) name = "node";
        string unique = name;
        for (int k = 1; !_layerNames.Add(unique); k++) unique = $"{name}_{k}";
        return unique;
    }

    /// <summary>The initializer's name, without '/', unique within the node.</summary>
    private static string WeightName(string initializer, int input, OnnxSlot[] slots)
    {
        string name = initializer.Replace('/', '_');
        if (name.Length == 0 || slots.Any(s => s?.Weight == name)) name = $"input{input}";
        return name;
    }
}
