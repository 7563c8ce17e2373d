using Sparta.Data.Loaders;
using Sparta.Tensors;

namespace Sparta.Data.Preprocessing;

/// <summary>
/// Turns CSV rows into one feature matrix: the numeric columns as they are, then each categorical
/// column one-hot encoded with the categories of the training rows. Fit it on the training split's
/// rows, then encode every split; standardize the result with a <see cref="PreprocessingPipeline"/>.
/// </summary>
public sealed class TabularEncoder
{
    public const string StepName = "tabular";
    private const string CategoricalPrefix = "categories:";
    private const string TargetClassesPrefix = "target_classes:";

    private TabularEncoder(string[] numeric, OneHotEncoder[] categorical, IReadOnlyDictionary<string, string[]>? targetClasses = null)
    {
        NumericColumns = numeric;
        Categorical = categorical;
        TargetClasses = targetClasses ?? new Dictionary<string, string[]>();
    }

    /// <summary>
    /// The classes of each target column holding class labels, as training numbered them (index = label): so a file
    /// of new rows names its targets by class, as the training file did.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> TargetClasses { get; }

    public IReadOnlyList<string> NumericColumns { get; }

    public IReadOnlyList<OneHotEncoder> Categorical { get; }

    public int FeatureCount => NumericColumns.Count + Categorical.Sum(c => c.Categories.Count);

    /// <summary>Learns the feature columns (all but <paramref name="target"/>, when given) and the categories from <paramref name="train"/>.</summary>
    public static TabularEncoder Fit(CsvTable train, string? target) => Fit(train, target is null ? [] : [target]);

    /// <summary>
    /// Learns the feature columns (all but the <paramref name="targets"/>: one per output of a model with several) and
    /// the categories; <paramref name="targetClasses"/> are the classes training gave the target columns of class labels.
    /// </summary>
    public static TabularEncoder Fit(CsvTable train, IReadOnlyCollection<string> targets, IReadOnlyDictionary<string, string[]>? targetClasses = null)
    {
        foreach (string target in targets) _ = train[target]; // fails naming the columns when a target is not one of them
        var features = train.Columns.Where(c => !targets.Contains(c.Name)).ToList();
        var encoders = features.Where(c => c.IsCategorical).Select(c =>
        {
            var encoder = new OneHotEncoder(c.Name);
            encoder.Fit(c.Categories!);
            return encoder;
        }).ToArray();
        return new TabularEncoder(features.Where(c => !c.IsCategorical).Select(c => c.Name).ToArray(), encoders,
            targetClasses?.Where(t => targets.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
    }

    /// <summary>The label of each row of <paramref name="table"/>'s column <paramref name="column"/>: its class's index among <paramref name="classes"/>; a class not among them names its row.</summary>
    public static int[] ClassIndices(CsvTable table, string column, IReadOnlyList<string> classes)
    {
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var values = table[column].Categories
            ?? table[column].Numbers!.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return values.Select((value, row) => index.TryGetValue(value, out int label) ? label
            : throw new DataFileException(table.Path, $"row {row + 1}, column '{column}'", $"class '{value}' is not among the training file's ({string.Join(", ", classes)})")).ToArray();
    }

    /// <summary>The (rows, features) matrix of <paramref name="table"/>.</summary>
    public Tensor Encode(CsvTable table)
    {
        int width = FeatureCount;
        var result = Tensor.Uninitialized(new Shape(table.RowCount, width));
        var values = result.Span;
        for (int c = 0; c < NumericColumns.Count; c++)
        {
            var column = table[NumericColumns[c]].Numbers
                ?? throw new ArgumentException($"{table.Path}: column '{NumericColumns[c]}' was numeric in the training data but is categorical here");
            for (int r = 0; r < table.RowCount; r++) values[r * width + c] = (float)column[r];
        }
        int offset = NumericColumns.Count;
        foreach (var encoder in Categorical)
        {
            var column = table[encoder.Column].Categories
                ?? throw new ArgumentException($"{table.Path}: column '{encoder.Column}' was categorical in the training data but is numeric here");
            if (encoder.FirstUnknown(column) is int row and >= 0)
                throw new DataFileException(table.Path, $"row {row + 1}, column '{encoder.Column}'",
                    $"category '{column[row]}' is not among the training data's ({string.Join(", ", encoder.Categories)})");
            encoder.Encode(column, values, width, offset);
            offset += encoder.Categories.Count;
        }
        return result;
    }

    /// <summary>
    /// Reads <paramref name="path"/> (a CSV file with a header row) and encodes it as the training file
    /// was; columns that are not features (the target column, an id) are read as text and left out.
    /// </summary>
    public Tensor Read(string path) => Encode(CsvReader.Read(path, CsvReader.Header(path).Except(NumericColumns)));

    /// <summary>The fitted columns as plain data: numeric column names, each categorical column's categories in order, and the target columns' classes.</summary>
    public PreprocessorState Save()
    {
        var texts = new Dictionary<string, string[]> { ["numeric"] = NumericColumns.ToArray() };
        foreach (var encoder in Categorical) texts[CategoricalPrefix + encoder.Column] = encoder.Categories.ToArray();
        foreach (var (column, classes) in TargetClasses) texts[TargetClassesPrefix + column] = classes;
        return new PreprocessorState(StepName, new Dictionary<string, string>(), new Dictionary<string, double[]>(), texts);
    }

    public static TabularEncoder Load(PreprocessorState state)
    {
        if (state.Name != StepName || state.Texts?.GetValueOrDefault("numeric") is not { } numeric)
            throw new ArgumentException($"tabular: expected a saved '{StepName}' state with numeric columns, got '{state.Name}'");
        var encoders = state.Texts.Where(t => t.Key.StartsWith(CategoricalPrefix, StringComparison.Ordinal))
            .Select(t => OneHotEncoder.WithCategories(t.Key[CategoricalPrefix.Length..], t.Value)).ToArray();
        var targetClasses = state.Texts.Where(t => t.Key.StartsWith(TargetClassesPrefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key[TargetClassesPrefix.Length..], t => t.Value, StringComparer.Ordinal);
        return new TabularEncoder(numeric, encoders, targetClasses);
    }

    /// <summary>An encoding of these numeric columns, then these one-hot encoded ones (as an ONNX file's graph gives them).</summary>
    public static TabularEncoder FromColumns(IReadOnlyList<string> numeric, IReadOnlyList<OneHotEncoder> categorical)
    {
        var names = numeric.Concat(categorical.Select(c => c.Column)).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"tabular: a column is named twice among {string.Join(", ", names)}");
        return new TabularEncoder(numeric.ToArray(), categorical.ToArray());
    }
}
