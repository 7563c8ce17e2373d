using Sparta.Data.Preprocessing;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// Finds the CSV columns of a graph, as <see cref="OnnxTabularExport"/> writes them: a <c>Concat</c>
/// whose inputs are (batch, 1) float inputs (numeric columns) followed by flattened ai.onnx.ml
/// <c>OneHotEncoder</c>s of (batch, 1) string inputs (text columns). Each such front becomes one
/// model input (named after the <c>Concat</c>'s output) and the <see cref="TabularEncoder"/> that
/// turns a CSV file's columns into it.
/// </summary>
internal static class OnnxTabularImport
{
    /// <summary>A front: the model input it gives, its encoding, the graph inputs it reads (the columns) and the nodes it is made of.</summary>
    public sealed record Front(string Input, TabularEncoder Encoder, IReadOnlyList<string> Columns, IReadOnlySet<Proto.NodeProto> Nodes);

    private const int Float = (int)Proto.TensorProto.Types.DataType.Float;
    private const int Text = (int)Proto.TensorProto.Types.DataType.String;

    public static IReadOnlyList<Front> Find(Proto.GraphProto graph)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var readers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);
        var fronts = new List<Front>();
        foreach (var concat in graph.Node.Where(n => n.OpType == "Concat" && n.Domain is "" or "ai.onnx"))
        {
            var encoders = concat.Input.Select(i => Encoder(i, producers)).ToArray();
            if (encoders.All(e => e is null)) continue; // no text column: an ordinary Concat
            fronts.Add(Read(concat, encoders, inputs, readers));
        }
        foreach (var text in inputs.Values.Where(i => i.Type?.TensorType?.ElemType == Text))
            if (!fronts.Any(f => f.Columns.Contains(text.Name)))
                throw new OnnxException($"input '{text.Name}' is text; a text input is read only as a CSV column: an ai.onnx.ml OneHotEncoder, flattened into a Concat with the other columns");
        return fronts;
    }

    /// <summary>The (OneHotEncoder, Flatten) pair producing <paramref name="value"/>, or null when something else does.</summary>
    private static (Proto.NodeProto Encoder, Proto.NodeProto Flatten)? Encoder(string value, Dictionary<string, Proto.NodeProto> producers)
    {
        if (!producers.TryGetValue(value, out var flatten) || flatten.OpType != "Flatten" || flatten.Input.Count != 1) return null;
        return producers.TryGetValue(flatten.Input[0], out var encoder) && encoder.OpType == "OneHotEncoder" && encoder.Domain == OnnxTabularExport.MlDomain
            ? (encoder, flatten) : null;
    }

    private static Front Read(Proto.NodeProto concat, (Proto.NodeProto Encoder, Proto.NodeProto Flatten)?[] encoders,
        Dictionary<string, Proto.ValueInfoProto> inputs, ILookup<string, Proto.NodeProto> readers)
    {
        string owner = $"node '{(concat.Name.Length > 0 ? concat.Name : concat.Output[0])}' (Concat of CSV columns)";
        var axis = OnnxAttributes.FromProto(concat, owner).Int("axis", 0);
        if (axis is not (1 or -1)) throw new OnnxException($"{owner}: concatenates along axis {axis}; columns are concatenated along axis 1");
        var nodes = new HashSet<Proto.NodeProto>(ReferenceEqualityComparer.Instance) { concat };
        var (numeric, categorical, columns) = (new List<string>(), new List<OneHotEncoder>(), new List<string>());
        for (int k = 0; k < concat.Input.Count; k++)
        {
            string part = concat.Input[k];
            if (encoders[k] is var (encoder, flatten))
            {
                string encoderOwner = $"node '{(encoder.Name.Length > 0 ? encoder.Name : encoder.Output[0])}' (OneHotEncoder)";
                // cats_strings is a list of strings, which OnnxAttributes does not hold: the two attributes are read here.
                if ((encoder.Attribute.FirstOrDefault(a => a.Name == "zeros")?.I ?? 1) != 0)
                    throw new OnnxException($"{encoderOwner}: zeros 1 (an unseen category as a row of zeros) is not supported; Sparta refuses a category unseen in training (zeros 0)");
                if (OnnxAttributes.FromProto(flatten, owner).Int("axis", 1) != 1)
                    throw new OnnxException($"{owner}: the one-hot columns of '{encoder.Input[0]}' are flattened from an axis other than 1");
                var categories = encoder.Attribute.FirstOrDefault(a => a.Name == "cats_strings")?.Strings.Select(s => s.ToStringUtf8()).ToArray();
                if (categories is null || categories.Length == 0)
                    throw new OnnxException($"{encoderOwner}: encodes no string categories (cats_strings); only text columns are one-hot encoded");
                string column = Column(encoder.Input[0], Text, inputs, readers, encoder, owner);
                try { categorical.Add(OneHotEncoder.WithCategories(column, categories)); }
                catch (ArgumentException e) { throw new OnnxException($"{encoderOwner}: {e.Message}", e); }
                nodes.Add(encoder);
                nodes.Add(flatten);
                if (readers[flatten.Output[0]].Count() != 1 || readers[encoder.Output[0]].Count() != 1)
                    throw new OnnxException($"{owner}: the one-hot columns of '{column}' are read by other nodes too");
                columns.Add(column);
                continue;
            }
            if (categorical.Count > 0)
                throw new OnnxException($"{owner}: its input '{part}' comes after a text column; the numeric columns come first");
            numeric.Add(Column(part, Float, inputs, readers, concat, owner));
            columns.Add(part);
        }
        try { return new Front(concat.Output[0], TabularEncoder.FromColumns(numeric, categorical), columns, nodes); }
        catch (ArgumentException e) { throw new OnnxException($"{owner}: {e.Message}", e); }
    }

    /// <summary>A column: a graph input of <paramref name="type"/> and shape (batch, 1), read only by <paramref name="reader"/>.</summary>
    private static string Column(string name, int type, Dictionary<string, Proto.ValueInfoProto> inputs, ILookup<string, Proto.NodeProto> readers,
        Proto.NodeProto reader, string owner)
    {
        if (!inputs.TryGetValue(name, out var input))
            throw new OnnxException($"{owner}: its input '{name}' is not a graph input; the columns of a CSV input are graph inputs of shape (batch, 1)");
        var tensor = input.Type?.TensorType;
        var dims = tensor?.Shape?.Dim;
        if (tensor?.ElemType != type || dims is not { Count: 2 } || dims[1].ValueCase != Proto.TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[1].DimValue != 1)
            throw new OnnxException($"{owner}: column input '{name}' must be a {(type == Text ? "string" : "float")} tensor of shape (batch, 1)");
        if (readers[name].Any(n => !ReferenceEquals(n, reader)))
            throw new OnnxException($"{owner}: column input '{name}' is read by other nodes too");
        return name;
    }
}
