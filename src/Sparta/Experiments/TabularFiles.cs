using Sparta.Data;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Tensors;

namespace Sparta.Experiments;

/// <summary>
/// The CSV inputs of an experiment: numeric columns as they are, each <c>data.categorical</c> column
/// one-hot encoded with the categories of the training file, and the targets, when
/// <c>data.target_column</c> names them (one column, or one per output of a model with several), read
/// out of the same file. The first file read for an input is the training one: its columns and categories
/// are the ones every later file is encoded with.
/// </summary>
internal sealed class TabularFiles(IReadOnlyList<string> categorical, IReadOnlyList<TabularFiles.TargetColumn> targets)
{
    private readonly Dictionary<string, TabularEncoder> _encoders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _classes = new(StringComparer.Ordinal);

    /// <summary>A target column: its output (null for a one-output model) and whether it holds class labels.</summary>
    public sealed record TargetColumn(string? Output, string Column, bool Classes);

    /// <summary>Each CSV input's encoding, fitted on its training file: it goes into the model file with the preprocessing.</summary>
    public IReadOnlyDictionary<string, TabularEncoder> Encoders => _encoders;

    /// <summary>The (rows, features) matrix of input <paramref name="input"/>'s file, and the table it came from.</summary>
    public (Tensor Features, CsvTable Table) Read(string input, string path)
    {
        var text = categorical.Concat(targets.Where(t => t.Classes).Select(t => t.Column));
        var table = CsvReader.Read(path, text.Distinct());
        if (!_encoders.TryGetValue(input, out var encoder))
        {
            foreach (var target in targets.Where(t => t.Classes)) ClassesOf(table, target.Column);
            _encoders[input] = encoder = TabularEncoder.Fit(table, targets.Select(t => t.Column).ToArray(), _classes);
        }
        try { return (encoder.Encode(table), table); }
        catch (ArgumentException e) { throw new DataFileException(path, $"input '{input}'", e.Message, e); }
    }

    /// <summary>The target column(s) of <paramref name="table"/>: class labels (the training file's classes, sorted) or values, a target per output when there are several.</summary>
    public Dataset Targets(CsvTable table, IReadOnlyList<(string Name, Tensor Data)> inputs) => targets is [{ Output: null } one]
        ? Targets(table, inputs, one)
        : Dataset.PerOutput(inputs, targets.Select(t => (t.Output!, Targets(table, inputs, t))).ToArray());

    /// <summary>The classes of target column <paramref name="name"/>, taken from the first (training) table read: whole numbers 0, 1, 2... are the labels themselves, as in a targets file; text is sorted into classes.</summary>
    private string[] ClassesOf(CsvTable table, string name)
    {
        if (_classes.TryGetValue(name, out var classes)) return classes;
        var column = table[name];
        return _classes[name] = column.Categories!.All(v => int.TryParse(v, out int n) && n >= 0)
            ? Enumerable.Range(0, column.Categories!.Max(int.Parse) + 1).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()
            : table.ClassLabels(name).Classes;
    }

    private Dataset Targets(CsvTable table, IReadOnlyList<(string Name, Tensor Data)> inputs, TargetColumn target)
    {
        string name = target.Column;
        if (!target.Classes)
            return new Dataset(inputs, table.Numeric([name]));
        var classes = ClassesOf(table, name);
        var labels = TabularEncoder.ClassIndices(table, name, classes);
        return Dataset.Classification(inputs, labels, classes.Length);
    }
}
