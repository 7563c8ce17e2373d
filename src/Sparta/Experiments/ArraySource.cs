using Sparta.Data;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Tensors;

namespace Sparta.Experiments;

/// <summary>
/// Samples named on the command line (SPEC): a .npy file, a .csv file of numbers with a header row,
/// an IDX file (gzipped or not), or <c>DATASET:SPLIT</c>, a registered data set's split (<c>fashion-mnist:test</c>).
/// </summary>
public static class ArraySource
{
    /// <summary>The inputs SPEC holds; of a data set, its input <paramref name="input"/> (or its only one).</summary>
    public static Tensor Inputs(string spec, string? input = null)
    {
        if (DatasetSplit(spec) is not { } data) return Read(spec);
        if (data.Inputs.Count == 1) return data.Inputs[0].Data;
        return data.Input(input ?? throw new ArgumentException($"'{spec}' has inputs {string.Join(", ", data.Inputs.Select(i => i.Name))}; name the one to read"));
    }

    /// <summary>
    /// The raw samples of <paramref name="saved"/>'s input <paramref name="input"/> ("" for a one-input
    /// model's only one) that SPEC holds: a CSV file given to a model trained on CSV rows is encoded as
    /// its training file was (text columns one-hot with the training categories).
    /// </summary>
    public static Tensor Inputs(string spec, Serialization.SavedModel saved, string input)
    {
        string name = input.Length == 0 && saved.Model.InputNames.Count == 1 ? saved.Model.InputNames[0] : input;
        if (saved.Preprocessing.GetValueOrDefault(name)?.Tabular is { } tabular && Path.GetExtension(spec).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            return File.Exists(spec) ? tabular.Read(spec) : throw new FileNotFoundException($"'{spec}' does not exist", spec);
        return Inputs(spec, input.Length == 0 ? null : input);
    }

    /// <summary>The targets SPEC holds; of a data set, its labels (or values).</summary>
    public static Tensor Targets(string spec) => DatasetSplit(spec)?.Target ?? Read(spec);

    /// <summary>
    /// The targets SPEC holds for <paramref name="saved"/>'s output <paramref name="output"/> (null for a one-output
    /// model): a CSV file given to a model trained on a CSV file's target column (<c>data.target_column</c>) is read
    /// by that column, as training read it, class names numbered as the training file's classes saved with the model.
    /// </summary>
    public static Tensor Targets(string spec, Serialization.SavedModel saved, string? output)
    {
        if (!Path.GetExtension(spec).Equals(".csv", StringComparison.OrdinalIgnoreCase) || !File.Exists(spec)
            || TargetColumn(saved, output) is not { } column)
            return Targets(spec);
        var classes = saved.Preprocessing.Values.Select(p => p.Tabular?.TargetClasses.GetValueOrDefault(column)).FirstOrDefault(c => c is not null);
        var table = CsvReader.Read(spec, CsvReader.Header(spec).Where(c => c != column || classes is not null));
        if (classes is null) return table.Numeric([column]);
        var labels = TabularEncoder.ClassIndices(table, column, classes);
        return Tensor.FromArray(labels.Select(l => (float)l).ToArray(), labels.Length);
    }

    /// <summary>The CSV column the model's experiment took the output's targets from, if any.</summary>
    private static string? TargetColumn(Serialization.SavedModel saved, string? output)
    {
        var data = saved.Experiment?.Spec().Data;
        return output is null ? data?.TargetColumn : data?.TargetColumns?.FirstOrDefault(c => c.Output == output).Column;
    }

    /// <summary><c>NAME=SPEC</c> gives the input's name and its SPEC; a plain SPEC has the name "".</summary>
    public static (string Name, string Spec) Named(string argument)
    {
        int eq = argument.IndexOf('=');
        // "a=b" names an input only when the part before '=' cannot be a path on its own.
        return eq > 0 && argument[..eq].IndexOfAny(['/', '\\', '.', ':']) < 0 ? (argument[..eq], argument[(eq + 1)..]) : ("", argument);
    }

    private static Dataset? DatasetSplit(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon <= 0 || File.Exists(spec)) return null;
        string name = spec[..colon], split = spec[(colon + 1)..];
        if (!DatasetRegistry.Names.Contains(name)) return null;
        if (split is not ("train" or "test")) throw new ArgumentException($"'{spec}': the split of data set '{name}' is train or test, got '{split}'");
        return DatasetRegistry.Load(name, split);
    }

    private static Tensor Read(string path)
    {
        if (!File.Exists(path))
        {
            string known = string.Join(", ", DatasetRegistry.Names.Select(n => n + ":test"));
            throw new FileNotFoundException($"'{path}' is neither a file nor DATASET:SPLIT (e.g. {known})", path);
        }
        string name = Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".npy", StringComparison.Ordinal) || name.EndsWith(".csv", StringComparison.Ordinal)
            ? ExperimentData.ReadArray(path)
            : IdxFile.ReadTensor(path);
    }
}
