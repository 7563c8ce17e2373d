using Sparta.Data.Loaders;
using Sparta.Tensors;

namespace Sparta.Data;

/// <summary>
/// The real data sets scikit-learn bundles (Debian's python3-sklearn installs them), read from their
/// own files as <c>sklearn.datasets.load_*</c> reads them: features unscaled, as stored.
/// </summary>
internal static class SklearnDatasets
{
    /// <summary>Wisconsin diagnostic breast cancer: 569 samples of 30 real features; 0 malignant, 1 benign.</summary>
    public static Dataset BreastCancer(string directory)
    {
        // The first line is "569,30,malignant,benign": the counts and the class names.
        var rows = NumericRows.Read(Path.Combine(directory, "breast_cancer.csv"), 31, skip: 1);
        return Dataset.Classification([(DatasetRegistry.TabularInputName, Columns(rows, 0, 30))], Labels(rows, 30), 2);
    }

    /// <summary>Diabetes progression one year after baseline: 442 patients, 10 features (age, sex, bmi, bp, s1-s6) as measured.</summary>
    public static Dataset Diabetes(string directory)
    {
        var features = NumericRows.Read(Path.Combine(directory, "diabetes_data_raw.csv.gz"), 10);
        var target = NumericRows.Read(Path.Combine(directory, "diabetes_target.csv.gz"), 1);
        if (target.Length != features.Length)
            throw new DataFileException(Path.Combine(directory, "diabetes_target.csv.gz"), "rows", $"{target.Length} targets for {features.Length} samples");
        return new Dataset([(DatasetRegistry.TabularInputName, Columns(features, 0, 10))], Columns(target, 0, 1));
    }

    /// <summary>Optical handwritten digits: 1,797 images of 1×8×8 values 0..16, 10 classes.</summary>
    public static Dataset Digits(string directory)
    {
        var rows = NumericRows.Read(Path.Combine(directory, "digits.csv.gz"), 65);
        var images = Columns(rows, 0, 64).Reshape(rows.Length, 1, 8, 8);
        return Dataset.Classification([(DatasetRegistry.InputName, images)], Labels(rows, 64), 10);
    }

    private static Tensor Columns(float[][] rows, int first, int count)
    {
        var values = new float[rows.Length * count];
        for (int r = 0; r < rows.Length; r++) Array.Copy(rows[r], first, values, r * count, count);
        return Tensor.FromArray(values, rows.Length, count);
    }

    private static int[] Labels(float[][] rows, int column) => rows.Select(r => (int)r[column]).ToArray();
}
