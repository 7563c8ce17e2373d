using Sparta.Tensors;

namespace Sparta.Data.Loaders;

/// <summary>One CSV column: numbers, or text categories (one-hot encoded later, on the training split).</summary>
public sealed class CsvColumn
{
    internal CsvColumn(string name, double[]? numbers, string[]? categories)
    {
        Name = name;
        Numbers = numbers;
        Categories = categories;
    }

    public string Name { get; }

    public bool IsCategorical => Categories is not null;

    public double[]? Numbers { get; }

    public string[]? Categories { get; }
}

/// <summary>A parsed CSV file: named columns of equal length, in file order.</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, CsvColumn> _byName;

    internal CsvTable(string path, IReadOnlyList<CsvColumn> columns, int rowCount)
    {
        Path = path;
        Columns = columns;
        RowCount = rowCount;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    public IReadOnlyList<CsvColumn> Columns { get; }

    public int RowCount { get; }

    public CsvColumn this[string name] => _byName.TryGetValue(name, out var c) ? c
        : throw new ArgumentException($"{Path}: no column '{name}' (columns: {string.Join(", ", Columns.Select(x => x.Name))})", nameof(name));

    /// <summary>The named numeric columns side by side: a (rows, columns) tensor.</summary>
    public Tensor Numeric(IReadOnlyList<string> names)
    {
        var columns = names.Select(n => this[n].Numbers ?? throw new ArgumentException($"{Path}: column '{n}' is categorical, not numeric", nameof(names))).ToArray();
        var tensor = Tensor.Uninitialized(new Shape(RowCount, columns.Length));
        var values = tensor.Span;
        for (int r = 0; r < RowCount; r++)
            for (int c = 0; c < columns.Length; c++)
                values[r * columns.Length + c] = (float)columns[c][r];
        return tensor;
    }

    /// <summary>
    /// Class labels of a column: categories (or whole numbers) mapped to 0..K-1 in sorted order, so
    /// the mapping does not depend on which rows come first.
    /// </summary>
    public (int[] Labels, string[] Classes) ClassLabels(string name)
    {
        var column = this[name];
        string[] text = column.Categories ?? column.Numbers!.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string[] classes = column.Categories is not null
            ? text.Distinct().Order(StringComparer.Ordinal).ToArray()
            : column.Numbers!.Distinct().Order().Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return (text.Select(t => index[t]).ToArray(), classes);
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order (a split of the table).</summary>
    public CsvTable Rows(ReadOnlySpan<int> indices)
    {
        var picked = indices.ToArray();
        var columns = Columns.Select(c => new CsvColumn(c.Name,
            c.Numbers is null ? null : picked.Select(i => c.Numbers[i]).ToArray(),
            c.Categories is null ? null : picked.Select(i => c.Categories[i]).ToArray())).ToList();
        return new CsvTable(Path, columns, picked.Length);
    }
}
