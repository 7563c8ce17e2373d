using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// One-hot encoding of a categorical column: the categories are those seen in the training rows
/// (sorted, so the columns do not depend on row order); a category unseen in training is an error
/// naming the column and the value, never a silent all-zero row.
/// </summary>
public sealed class OneHotEncoder
{
    public const string StepName = "one_hot";
    private Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public OneHotEncoder(string column) => Column = column;

    public string Column { get; }

    public IReadOnlyList<string> Categories { get; private set; } = [];

    public void Fit(IReadOnlyList<string> train)
    {
        if (train.Count == 0) throw new ArgumentException($"one-hot '{Column}': no training values to fit on");
        Categories = train.Distinct().Order(StringComparer.Ordinal).ToArray();
        _index = Positions(Categories);
    }

    /// <summary>An encoder of these categories in this order (the order of the one-hot columns), as a saved model or an ONNX file gives them.</summary>
    public static OneHotEncoder WithCategories(string column, IReadOnlyList<string> categories)
    {
        if (categories.Count == 0) throw new ArgumentException($"one-hot '{column}': no categories");
        if (categories.Distinct(StringComparer.Ordinal).Count() != categories.Count)
            throw new ArgumentException($"one-hot '{column}': the categories ({string.Join(", ", categories)}) repeat one");
        return new OneHotEncoder(column)
        {
            Categories = categories.ToArray(),
            _index = Positions(categories),
        };
    }

    private static Dictionary<string, int> Positions(IReadOnlyList<string> categories) =>
        categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

    /// <summary>The index of the first value that is not a training category, or -1 when every one is.</summary>
    public int FirstUnknown(IReadOnlyList<string> values)
    {
        for (int r = 0; r < values.Count; r++) if (!_index.ContainsKey(values[r])) return r;
        return -1;
    }

    /// <summary>Writes the (rows, categories) one-hot block into <paramref name="destination"/>, whose rows are <paramref name="stride"/> wide, from column <paramref name="offset"/>.</summary>
    public void Encode(IReadOnlyList<string> values, Span<float> destination, int stride, int offset)
    {
        if (Categories.Count == 0) throw new InvalidOperationException($"one-hot '{Column}': encode called before fit");
        for (int r = 0; r < values.Count; r++)
        {
            if (!_index.TryGetValue(values[r], out int category))
                throw new ArgumentException($"one-hot '{Column}': row {r} has category '{values[r]}', not seen in the training data (known: {string.Join(", ", Categories)})");
            var row = destination.Slice(r * stride + offset, Categories.Count);
            row.Clear();
            row[category] = 1;
        }
    }

    public Tensor Transform(IReadOnlyList<string> values)
    {
        var result = Tensor.Uninitialized(new Shape(values.Count, Categories.Count));
        Encode(values, result.Span, Categories.Count, 0);
        return result;
    }

    public PreprocessorState Save() => new(StepName,
        new Dictionary<string, string> { ["column"] = Column },
        new Dictionary<string, double[]>(),
        new Dictionary<string, string[]> { ["categories"] = Categories.ToArray() });

    public static OneHotEncoder Load(PreprocessorState state)
    {
        if (state.Name != StepName || !state.Parameters.TryGetValue("column", out var column) || state.Texts?.GetValueOrDefault("categories") is not { } categories)
            throw new ArgumentException($"one-hot: expected a saved '{StepName}' state with a column and categories, got '{state.Name}'");
        return WithCategories(column, categories);
    }
}
