using Sparta.Data.Preprocessing;
using Sparta.Tensors;
using static Sparta.Onnx.OnnxGraphWriter;
using Proto = global::Onnx;

namespace Sparta.Onnx;

/// <summary>
/// Writes the CSV encoding an input was trained with (<see cref="TabularEncoder"/>) as the graph's
/// first nodes, so the ONNX model takes a CSV row's columns by name, as <c>sparta predict</c> takes
/// the file: one (batch, 1) input per column, float for a numeric column and string for a text
/// one; each text column one-hot encoded by ai.onnx.ml's <c>OneHotEncoder</c> with the training
/// categories and flattened; all concatenated, numeric columns first, into the model's input.
/// The encoder's <c>zeros</c> is 0: a category unseen in training fails the run, as it fails
/// <c>sparta predict</c>, instead of silently becoming a row of zeros.
/// </summary>
internal static class OnnxTabularExport
{
    /// <summary>The domain of ONNX's traditional machine-learning operators, and the version whose OneHotEncoder is written.</summary>
    public const string MlDomain = "ai.onnx.ml";
    public const int MlOpset = 1;

    /// <summary>Writes the columns of input <paramref name="input"/> (a name already reserved) and returns it, now the concatenated features.</summary>
    public static string Write(OnnxGraphWriter graph, TabularEncoder tabular, string input)
    {
        var parts = new List<string>();
        foreach (string column in tabular.NumericColumns)
            parts.Add(graph.AddInputNamed(Column(graph, column, input), new Shape(1)));
        foreach (var encoder in tabular.Categorical)
        {
            string text = graph.AddInputNamed(Column(graph, encoder.Column, input), new Shape(1), Proto.TensorProto.Types.DataType.String);
            string encoded = graph.NodeInto(graph.Unique(encoder.Column + "_one_hot"), MlDomain, "OneHotEncoder", [text],
                Strings("cats_strings", encoder.Categories), Int("zeros", 0));
            // ONNX's shape inference has no rule for OneHotEncoder: (batch, 1) strings give (batch, 1, categories) floats.
            graph.AddValueInfo(encoded, new Shape(1, encoder.Categories.Count));
            parts.Add(graph.Node("Flatten", encoder.Column + "_one_hot_flat", encoded, Int("axis", 1)));
        }
        return graph.NodeInto(input, "Concat", parts, Int("axis", 1));
    }

    /// <summary>The column's name as an input of the graph; a name another input or output already has is refused.</summary>
    private static string Column(OnnxGraphWriter graph, string column, string input)
    {
        string name = graph.Unique(column);
        return name == column ? name
            : throw new OnnxException($"onnx export: column '{column}' of input '{input}' would be a graph input, but another input or output of the model is named so; rename the column");
    }
}
