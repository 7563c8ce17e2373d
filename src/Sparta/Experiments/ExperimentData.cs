using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Losses;
using Sparta.Serialization;
using Sparta.Tensors;

namespace Sparta.Experiments;

/// <summary>The train and test sets of a <see cref="DataSpec"/>: loaded, cut to the sample counts asked, preprocessed.</summary>
public sealed record ExperimentData(Dataset Train, Dataset? Test, IReadOnlyDictionary<string, PreprocessingPipeline> Preprocessing)
{
    /// <summary>
    /// Loads the sets; file paths are relative to <paramref name="directory"/>. Class labels are read
    /// from the targets when the loss is a cross-entropy over classes. Preprocessing is fitted on
    /// the training inputs only (each input its own pipeline) and applied to the test set; given a
    /// <paramref name="saved"/> model (a transfer's base, a checkpoint), its fitted preprocessing is
    /// applied instead, and the data must fit its inputs.
    /// </summary>
    public static ExperimentData Load(DataSpec spec, Loss loss, string directory, SavedModel? saved = null)
    {
        bool classes = IsClassification(loss);
        var train = First(LoadSplit(spec, "train", classes, directory, null)!, spec.TrainSamples);
        var test = LoadSplit(spec, "test", classes, directory, train.ClassCount) is { } t ? First(t, spec.TestSamples) : null;
        if (saved is not null) return new ExperimentData(saved.Prepare(train), test is null ? null : saved.Prepare(test), saved.Preprocessing);
        var pipelines = new Dictionary<string, PreprocessingPipeline>(StringComparer.Ordinal);
        if (spec.Preprocessing.Count > 0)
            foreach (var (name, _) in train.Inputs)
            {
                var pipeline = PreprocessingPipeline.FromConfig(spec.Preprocessing);
                var sets = test is null ? pipeline.FitApply(name, train) : pipeline.FitApply(name, train, test);
                train = sets[0];
                if (test is not null) test = sets[1];
                pipelines[name] = pipeline;
            }
        return new ExperimentData(train, test, pipelines);
    }

    /// <summary>
    /// The test set alone, as <see cref="Load"/> gives it with a <paramref name="saved"/> model: its
    /// preprocessing applied, class labels over its number of outputs. Null without a test set.
    /// </summary>
    public static Dataset? LoadTest(DataSpec spec, Loss loss, string directory, SavedModel saved) =>
        LoadSplit(spec, "test", IsClassification(loss), directory, saved.Model.OutputShape.Size) is { } test ? saved.Prepare(First(test, spec.TestSamples)) : null;

    private static bool IsClassification(Loss loss) => loss is CategoricalCrossEntropy or SparseCategoricalCrossEntropy;

    private static Dataset? LoadSplit(DataSpec spec, string split, bool classes, string directory, int? classCount) =>
        spec.Dataset is not null ? DatasetRegistry.Load(spec.Dataset, split)
        : (split == "train" ? spec.Train : spec.Test) is { } files ? FromFiles(files, classes, directory, classCount) : null;

    public static ImageAugmenter? Augmenter(DataSpec spec, ulong seed) => spec.Augmentation is null ? null
        : new ImageAugmenter(AugmentationParameters.Parse(spec.Augmentation), new RandomGenerator(seed).Fork("augmentation"));

    private static Dataset First(Dataset data, int? count) =>
        count is int n && n < data.Count ? data.Subset(Enumerable.Range(0, n).ToArray()) : data;

    private static Dataset FromFiles(DataFiles files, bool classes, string directory, int? classCount)
    {
        var inputs = files.Inputs.Select(i => (i.Name, ReadArray(Path.Combine(directory, i.Path)))).ToList();
        string targetsPath = Path.Combine(directory, files.Targets);
        return Assemble(inputs, ReadArray(targetsPath), targetsPath, classes, classCount);
    }

    /// <summary>
    /// A dataset of these inputs and targets (read from <paramref name="targetsPath"/>): with
    /// <paramref name="classes"/>, targets are class labels over at least <paramref name="classCount"/> classes.
    /// </summary>
    internal static Dataset Assemble(IReadOnlyList<(string Name, Tensor Data)> inputs, Tensor targets, string targetsPath, bool classes, int? classCount)
    {
        if (!classes) return new Dataset(inputs, targets.Rank == 1 ? targets.Reshape(targets.Shape[0], 1) : targets);
        var labels = new int[targets.Shape[0]];
        var values = targets.Span;
        if (values.Length != labels.Length)
            throw new DataFileException(targetsPath, "targets", $"class labels need one value per sample, got shape {targets.Shape}");
        for (int i = 0; i < labels.Length; i++)
        {
            float v = values[i];
            if (v < 0 || v != MathF.Floor(v)) throw new DataFileException(targetsPath, $"sample {i}", $"a class label must be a non-negative integer, got {v}");
            labels[i] = (int)v;
        }
        return Dataset.Classification(inputs, labels, Math.Max(classCount ?? 0, labels.Max() + 1));
    }

    /// <summary>An array from .npy, or from a CSV of numbers with a header row (samples × columns).</summary>
    internal static Tensor ReadArray(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy") return NpyFile.Read(path);
        if (extension != ".csv") throw new DataFileException(path, "name", $"expected a .npy or .csv file, got '{extension}'");
        var table = CsvReader.Read(path);
        var values = new float[table.RowCount * table.Columns.Count];
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var column = table.Columns[c];
            var numbers = column.Numbers ?? throw new DataFileException(path, $"column '{column.Name}'", "must hold numbers");
            for (int r = 0; r < table.RowCount; r++) values[r * table.Columns.Count + c] = (float)numbers[r];
        }
        return Tensor.FromArray(values, table.RowCount, table.Columns.Count);
    }
}
