using Sparta.Tensors;

namespace Sparta.Data.Splits;

/// <summary>The three parts of a dataset, copied out of it.</summary>
public sealed record DatasetSplit(Dataset Train, Dataset Validation, Dataset Test)
{
    /// <summary>
    /// Splits by fractions, stratified by class when the dataset has labels (unless
    /// <paramref name="stratify"/> is false). Fit preprocessing on <see cref="Train"/> only.
    /// </summary>
    public static DatasetSplit Create(Dataset data, double validation, double test, RandomGenerator random, bool stratify = true)
    {
        var indices = SplitIndices.Create(data.Count, validation, test, random, stratify ? data.Labels : null);
        return new DatasetSplit(data.Subset(indices.Train), data.Subset(indices.Validation), data.Subset(indices.Test));
    }
}
