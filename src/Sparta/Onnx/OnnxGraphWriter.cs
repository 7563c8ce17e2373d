using Google.Protobuf;
using Sparta.Tensors;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// Appends nodes and initializers to an ONNX graph under unique value names, so the exporters of
/// layers, activations and preprocessing steps each write a few lines of operators.
/// </summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public OnnxGraphWriter(int opset) => Opset = opset;

    public Proto.GraphProto Graph { get; } = new();

    /// <summary>The opset the graph is written for.</summary>
    public int Opset { get; }

    /// <summary>A value name not yet used, starting from <paramref name="hint"/>.</summary>
    public string Unique(string hint)
    {
        string name = hint;
        for (int k = 1; !_names.Add(name); k++) name = $"{hint}_{k}";
        return name;
    }

    /// <summary>A float32 input with a dynamic first axis ("batch") and these fixed dimensions after it.</summary>
    public string AddInput(string name, Shape batchless) => AddValue(Graph.Input, Unique(name), batchless);

    /// <summary>An input under <paramref name="reserved"/>, a name taken before with <see cref="Unique"/>, of float32 or another element type.</summary>
    public string AddInputNamed(string reserved, Shape batchless, Proto.TensorProto.Types.DataType type = Proto.TensorProto.Types.DataType.Float) =>
        AddValue(Graph.Input, reserved, batchless, type);

    /// <summary>Declares <paramref name="value"/> a graph output of (batch, <paramref name="batchless"/>...).</summary>
    public void AddOutput(string value, Shape batchless) => AddValue(Graph.Output, value, batchless);

    /// <summary>States the type and shape of an inner float value, for an operator whose output the checker's shape inference does not know.</summary>
    public void AddValueInfo(string value, Shape batchless) => AddValue(Graph.ValueInfo, value, batchless);

    /// <summary>A float32 constant named after <paramref name="hint"/>; returns its value name.</summary>
    public string Constant(string hint, ReadOnlySpan<float> values, params int[] dims)
    {
        var tensor = new Proto.TensorProto { Name = Unique(hint), DataType = (int)Proto.TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        var bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("onnx: raw tensor data is little-endian");
        tensor.RawData = ByteString.CopyFrom(bytes);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Constant(string hint, Tensor value) => Constant(hint, value.Span, value.Shape.ToArray());

    /// <summary>An int64 vector constant (a Reshape's shape, an axes list).</summary>
    public string Int64s(string hint, params long[] values) => Int64s(hint, [values.Length], values);

    /// <summary>An int64 constant of any shape (a scalar has no dimensions).</summary>
    public string Int64s(string hint, int[] dims, long[] values)
    {
        var tensor = new Proto.TensorProto { Name = Unique(hint), DataType = (int)Proto.TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node reading <paramref name="inputs"/>; returns its (single) output's name.</summary>
    public string Node(string opType, string hint, IEnumerable<string> inputs, params Proto.AttributeProto[] attributes) =>
        NodeInto(Unique(hint), opType, inputs, attributes);

    /// <summary>Adds a node writing <paramref name="output"/>, a name taken before with <see cref="Unique"/> (a graph output's).</summary>
    public string NodeInto(string output, string opType, IEnumerable<string> inputs, params Proto.AttributeProto[] attributes) =>
        NodeInto(output, "", opType, inputs, attributes);

    /// <summary>As <see cref="NodeInto(string, string, IEnumerable{string}, Proto.AttributeProto[])"/>, an operator of another domain ("ai.onnx.ml").</summary>
    public string NodeInto(string output, string domain, string opType, IEnumerable<string> inputs, params Proto.AttributeProto[] attributes)
    {
        var node = new Proto.NodeProto { OpType = opType, Name = output, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a node with <paramref name="count"/> outputs (the ones not read still named); returns their names.</summary>
    public string[] NodeWithOutputs(string opType, string hint, IEnumerable<string> inputs, int count, params Proto.AttributeProto[] attributes)
    {
        var outputs = Enumerable.Range(0, count).Select(k => Unique(k == 0 ? hint : $"{hint}_output{k}")).ToArray();
        var node = new Proto.NodeProto { OpType = opType, Name = outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    public string Node(string opType, string hint, string input, params Proto.AttributeProto[] attributes) =>
        Node(opType, hint, [input], attributes);

    public static Proto.AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Int, I = value };

    public static Proto.AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Float, F = (float)value };

    public static Proto.AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = Proto.AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static Proto.AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new Proto.AttributeProto { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    public static Proto.AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new Proto.AttributeProto { Name = name, Type = Proto.AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private string AddValue(Google.Protobuf.Collections.RepeatedField<Proto.ValueInfoProto> list, string name, Shape batchless,
        Proto.TensorProto.Types.DataType type = Proto.TensorProto.Types.DataType.Float)
    {
        var shape = new Proto.TensorShapeProto();
        shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (int d in batchless.Dims) shape.Dim.Add(new Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        list.Add(new Proto.ValueInfoProto
        {
            Name = name,
            Type = new Proto.TypeProto { TensorType = new Proto.TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        });
        return name;
    }
}
