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
    private TabularEncoder(string[] numeric, OneHotEncoder[] categorical)
    {
        NumericColumns = numeric;
        Categorical = categorical;
    }

    public IReadOnlyList<string> NumericColumns { get; }

    public IReadOnlyList<OneHotEncoder> Categorical { get; }

    public int FeatureCount => NumericColumns.Count + Categorical.Sum(c => c.Categories.Count);

    /// <summary>Learns the feature columns (all but <paramref name="target"/>) and the categories from <paramref name="train"/>.</summary>
    public static TabularEncoder Fit(CsvTable train, string target)
    {
        _ = train[target]; // fails naming the columns when the target is not one of them
        var features = train.Columns.Where(c => c.Name != target).ToList();
        var encoders = features.Where(c => c.IsCategorical).Select(c =>
        {
            var encoder = new OneHotEncoder(c.Name);
            encoder.Fit(c.Categories!);
            return encoder;
        }).ToArray();
        return new TabularEncoder(features.Where(c => !c.IsCategorical).Select(c => c.Name).ToArray(), encoders);
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
            encoder.Encode(column, values, width, offset);
            offset += encoder.Categories.Count;
        }
        return result;
    }
}
