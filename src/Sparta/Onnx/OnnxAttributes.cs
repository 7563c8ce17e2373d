using System.Globalization;
using Sparta.Configuration;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// A node's attributes by name, each with its ONNX type kept (int, float, string, ints, floats), so
/// a node can be written back exactly; in a layer's config each key carries its type ("group:int").
/// </summary>
public sealed class OnnxAttributes
{
    private static readonly string[] Types = ["int", "float", "string", "ints", "floats"];
    private readonly SortedDictionary<string, object> _values;

    /// <summary>Values are long, double, string, long[] or double[].</summary>
    public OnnxAttributes(IEnumerable<KeyValuePair<string, object>> values)
    {
        _values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
            _values[name] = value is long or double or string or long[] or double[] ? value
                : throw new ArgumentException($"onnx attribute '{name}': unsupported value type {value.GetType().Name}");
    }

    public IReadOnlyDictionary<string, object> Values => _values;

    public long Int(string name, long fallback) => _values.TryGetValue(name, out var v) ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : fallback;

    public double Float(string name, double fallback) => _values.TryGetValue(name, out var v) ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => _values.TryGetValue(name, out var v) ? (string)v : fallback;

    public long[]? Ints(string name) => _values.TryGetValue(name, out var v) ? v as long[] ?? ((double[])v).Select(d => (long)d).ToArray() : null;

    /// <summary>The attributes of a node; tensor and graph attributes are refused by naming them (Constant's tensor is read by the importer).</summary>
    internal static OnnxAttributes FromProto(Proto.NodeProto node, string owner) => new(node.Attribute.Select(a => new KeyValuePair<string, object>(a.Name, a.Type switch
    {
        Proto.AttributeProto.Types.AttributeType.Int => a.I,
        Proto.AttributeProto.Types.AttributeType.Float => (double)a.F,
        Proto.AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
        Proto.AttributeProto.Types.AttributeType.Ints => a.Ints.ToArray(),
        Proto.AttributeProto.Types.AttributeType.Floats => a.Floats.Select(f => (double)f).ToArray(),
        _ => throw new OnnxException($"{owner}: attribute '{a.Name}' of type {a.Type} is not supported"),
    })));

    internal IEnumerable<Proto.AttributeProto> ToProto() => _values.Select(p =>
    {
        var a = new Proto.AttributeProto { Name = p.Key };
        switch (p.Value)
        {
            case long i: a.Type = Proto.AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case double f: a.Type = Proto.AttributeProto.Types.AttributeType.Float; a.F = (float)f; break;
            case string s: a.Type = Proto.AttributeProto.Types.AttributeType.String; a.S = Google.Protobuf.ByteString.CopyFromUtf8(s); break;
            case long[] ints: a.Type = Proto.AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints); break;
            case double[] floats: a.Type = Proto.AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats.Select(f => (float)f)); break;
        }
        return a;
    });

    /// <summary>The config form: a nested config named "attributes" whose keys are "name:type".</summary>
    public ComponentConfig ToConfig() => new("attributes", _values.Select(p => new KeyValuePair<string, object>($"{p.Key}:{TypeOf(p.Value)}", p.Value switch
    {
        long[] ints => ints.Select(i => (object)(double)i).ToList(),
        double[] floats => floats.Select(f => (object)f).ToList(),
        long i => (double)i,
        var v => v,
    })));

    public static OnnxAttributes FromConfig(ComponentConfig? config) => new((config?.Parameters ?? new Dictionary<string, object>()).Select(p =>
    {
        int colon = p.Key.LastIndexOf(':');
        string type = colon < 0 ? "" : p.Key[(colon + 1)..];
        if (!Types.Contains(type)) throw new ArgumentException($"layer 'onnx_node': attribute key '{p.Key}' must end in one of :{string.Join(", :", Types)}");
        IEnumerable<double> Numbers() => p.Value as IReadOnlyList<object> is { } list ? list.Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture))
            : throw new ArgumentException($"layer 'onnx_node': attribute '{p.Key}' must be a list, got {p.Value}");
        object value = type switch
        {
            "int" => Convert.ToInt64(p.Value, CultureInfo.InvariantCulture),
            "float" => Convert.ToDouble(p.Value, CultureInfo.InvariantCulture),
            "string" => p.Value as string ?? throw new ArgumentException($"layer 'onnx_node': attribute '{p.Key}' must be a string, got {p.Value}"),
            "ints" => Numbers().Select(v => (long)v).ToArray(),
            _ => Numbers().ToArray(),
        };
        return new KeyValuePair<string, object>(p.Key[..colon], value);
    }));

    private static string TypeOf(object value) => value switch
    {
        long => "int",
        double => "float",
        string => "string",
        long[] => "ints",
        _ => "floats",
    };
}
