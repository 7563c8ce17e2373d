using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Loaders;
using Sparta.Data.Preprocessing;
using Sparta.Data.Splits;
using Sparta.Losses;
using Sparta.Serialization;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Experiments;

/// <summary>
/// The train, validation and test sets of a <see cref="DataSpec"/>: loaded, cut to the sample counts asked,
/// the validation part held out of the training samples, preprocessed. <see cref="Train"/> is the training
/// part alone; <see cref="Validation"/> is null without <c>validation_split</c>, <see cref="Test"/> without a test set.
/// </summary>
public sealed record ExperimentData(Dataset Train, Dataset? Test, IReadOnlyDictionary<string, PreprocessingPipeline> Preprocessing, Dataset? Validation = null)
{
    /// <summary>
    /// Loads the sets; file paths are relative to <paramref name="directory"/>. Class labels are read
    /// from the targets when the loss is a cross-entropy over classes. The validation part is held out
    /// with <paramref name="seed"/> as training holds it out, and preprocessing is fitted on the training
    /// part only (each input its own pipeline), then applied to the validation and test sets; given a
    /// <paramref name="saved"/> model (a transfer's base, a checkpoint), its fitted preprocessing is
    /// applied instead, and the data must fit its inputs.
    /// </summary>
    public static ExperimentData Load(DataSpec spec, Loss loss, string directory, ulong seed, SavedModel? saved = null, IReadOnlyList<OutputSpec>? outputs = null)
    {
        var (train, test) = LoadSamples(spec, loss, directory, out _, outputs);
        return Prepare(spec, train, test, seed, saved);
    }

    /// <summary>The test set alone, as <see cref="Load"/> gives it with a <paramref name="saved"/> model; null without a test set.</summary>
    public static Dataset? LoadTest(DataSpec spec, Loss loss, string directory, SavedModel saved, IReadOnlyList<OutputSpec>? outputs = null) =>
        LoadSamples(spec, loss, directory, out _, outputs).Test is { } test ? Targets(spec, saved.Prepare(test)) : null;

    /// <summary>The samples as stored: loaded, the test split held out, cut to the counts asked; nothing fitted yet.</summary>
    public static (Dataset Train, Dataset? Test) LoadSamples(DataSpec spec, Loss loss, string directory) => LoadSamples(spec, loss, directory, out _);

    /// <summary>
    /// The samples as <see cref="LoadSamples(DataSpec, Loss, string)"/> gives them, and the encoding of
    /// each CSV input's columns (fitted on its training file; empty without CSV inputs). A model with several
    /// <paramref name="outputs"/> gets a target per output (<see cref="Dataset.PerOutput"/>), class labels for those trained on classes.
    /// </summary>
    public static (Dataset Train, Dataset? Test) LoadSamples(DataSpec spec, Loss loss, string directory, out IReadOnlyDictionary<string, TabularEncoder> tabular,
        IReadOnlyList<OutputSpec>? outputs = null)
    {
        if (spec.PerOutputTargets != outputs is not null)
            throw new InvalidOperationException($"bug: the data gives {(spec.PerOutputTargets ? "a target per output" : "one target")}, and {(outputs is null ? "no" : outputs.Count)} outputs are given to load them for");
        tabular = new Dictionary<string, TabularEncoder>();
        bool classes = loss is CategoricalCrossEntropy or SparseCategoricalCrossEntropy || spec.OneHot;
        Dataset train;
        Dataset? test;
        if (spec.Dataset is not null)
        {
            train = DatasetRegistry.Load(spec.Dataset, "train");
            test = DatasetRegistry.HasSplit(spec.Dataset, "test") ? DatasetRegistry.Load(spec.Dataset, "test") : null;
        }
        else
        {
            var tables = new TabularFiles(spec.Categorical ?? [], TargetColumns(spec, classes, outputs));
            train = FromFiles(spec.Train!, classes, directory, null, tables, outputs);
            test = spec.Test is null ? null : FromFiles(spec.Test, classes, directory, train.ClassCount, tables, outputs);
            tabular = tables.Encoders;
        }
        if (spec.TestSplit > 0) (train, test) = HoldOutTest(train, spec.TestSplit);
        train = First(train, spec.TrainSamples);
        test = test is null ? null : First(test, spec.TestSamples);
        return (train, test);
    }

    /// <summary>
    /// Holds the validation part (<see cref="DataSpec.ValidationSplit"/>, drawn with <see cref="DataSpec.ValidationSeed"/>,
    /// else <paramref name="seed"/>, as <see cref="Trainer.Fit"/> draws it) out of <paramref name="samples"/>, fits the preprocessing on the
    /// training part alone (each input its own pipeline: "compute the statistics on the training data only"),
    /// applies it to the validation part and <paramref name="test"/>, then shapes the targets as the spec asks
    /// (one-hot, or the inputs themselves). Given a <paramref name="saved"/> model, its fitted preprocessing is applied instead;
    /// one that brings none (an imported ONNX file, which takes raw inputs) gets the spec's, fitted here.
    /// </summary>
    public static ExperimentData Prepare(DataSpec spec, Dataset samples, Dataset? test, ulong seed, SavedModel? saved = null)
    {
        var (train, validation) = spec.ValidationSplit > 0 ? Trainer.HoldOutValidation(samples, spec.ValidationSplit, spec.ValidationSeed ?? seed) : (samples, null);
        Dataset?[] others = [validation, test];
        IReadOnlyDictionary<string, PreprocessingPipeline> pipelines;
        if (saved is not null && (saved.Preprocessing.Count > 0 || spec.Preprocessing.Count == 0))
        {
            train = saved.Prepare(train);
            others = others.Select(d => d is null ? null : saved.Prepare(d)).ToArray();
            pipelines = saved.Preprocessing;
        }
        else
        {
            if (saved is not null)
            {
                train = saved.MatchInputNames(train);
                others = others.Select(d => d is null ? null : saved.MatchInputNames(d)).ToArray();
            }
            var fitted = new Dictionary<string, PreprocessingPipeline>(StringComparer.Ordinal);
            if (spec.Preprocessing.Count > 0)
                foreach (var (name, _) in train.Inputs)
                {
                    var pipeline = PreprocessingPipeline.FromConfig(spec.Preprocessing);
                    var present = others.OfType<Dataset>().ToArray();
                    var sets = pipeline.FitApply(name, train, present);
                    train = sets[0];
                    int next = 1;
                    others = others.Select(d => d is null ? null : sets[next++]).ToArray();
                    fitted[name] = pipeline;
                }
            pipelines = fitted;
        }
        return new ExperimentData(Targets(spec, train), Shaped(spec, others[1]), pipelines, Shaped(spec, others[0]));
    }

    /// <summary>
    /// The data with each CSV input's <paramref name="tabular"/> encoding kept in its pipeline (a new,
    /// stepless one when the input has none), so the model file encodes new CSV rows as training did.
    /// A pipeline that has its encoding already (a saved model's) keeps it.
    /// </summary>
    public ExperimentData WithTabular(IReadOnlyDictionary<string, TabularEncoder> tabular)
    {
        if (tabular.Count == 0) return this;
        var pipelines = new Dictionary<string, PreprocessingPipeline>(Preprocessing, StringComparer.Ordinal);
        foreach (var (input, encoder) in tabular)
        {
            var pipeline = pipelines.GetValueOrDefault(input);
            if (pipeline?.Tabular is null) pipelines[input] = new PreprocessingPipeline(pipeline?.Steps ?? []) { Tabular = encoder };
        }
        return this with { Preprocessing = pipelines };
    }

    private static Dataset? Shaped(DataSpec spec, Dataset? data) => data is null ? null : Targets(spec, data);

    /// <summary>
    /// The targets the model learns, from the preprocessed set: one-hot rows, or its inputs (an autoencoder),
    /// or, for a model with several outputs trained on a registered set, each output's (the set's target or an input).
    /// </summary>
    internal static Dataset Targets(DataSpec spec, Dataset data)
    {
        if (spec.DatasetTargets is { } perOutput)
            return Dataset.PerOutput(data.Inputs, perOutput.Select(t => (t.Output, t.Source == DataSpec.SetTarget ? data : new Dataset(data.Inputs, data.Input(t.Source)))).ToArray());
        if (spec.OneHot) data = OneHot(data);
        return spec.InputsAsTargets ? InputsAsTargets(data) : data;
    }

    /// <summary>
    /// scikit-learn's train_test_split: a <paramref name="fraction"/> of the samples, stratified by
    /// class, becomes the test set. Seeded apart from the experiment's seed, so every seed (every
    /// member of an ensemble, every trial) is scored on the same test samples.
    /// </summary>
    public static (Dataset Train, Dataset Test) HoldOutTest(Dataset data, double fraction)
    {
        var split = DatasetSplit.Create(data, 0, fraction, new RandomGenerator(0).Fork("test_split"));
        return (split.Train, split.Test);
    }

    private static Dataset OneHot(Dataset data) => data.Labels is null
        ? throw new ArgumentException("data.one_hot: the targets are not class labels (a regression set); one-hot needs classes")
        : data.WithOneHotTargets();

    /// <summary>An autoencoder's set: the one input, as preprocessed, is also what the model must output.</summary>
    private static Dataset InputsAsTargets(Dataset data) => data.Inputs.Count == 1 ? data.WithTarget(data.Inputs[0].Data)
        : throw new ArgumentException($"data.inputs_as_targets: needs exactly one input, got {data.Inputs.Count} ({string.Join(", ", data.Inputs.Select(i => i.Name))})");

    public static ImageAugmenter? Augmenter(DataSpec spec, ulong seed) => spec.Augmentation is null ? null
        : new ImageAugmenter(AugmentationParameters.Parse(spec.Augmentation), new RandomGenerator(seed).Fork("augmentation"));

    private static Dataset First(Dataset data, int? count) =>
        count is int n && n < data.Count ? data.Subset(Enumerable.Range(0, n).ToArray()) : data;

    private static IReadOnlyList<TabularFiles.TargetColumn> TargetColumns(DataSpec spec, bool classes, IReadOnlyList<OutputSpec>? outputs) =>
        spec.TargetColumns is { } perOutput ? perOutput.Select(c => new TabularFiles.TargetColumn(c.Output, c.Column, TakesClasses(outputs!, c.Output))).ToArray()
        : spec.TargetColumn is { } column ? [new TabularFiles.TargetColumn(null, column, classes)]
        : [];

    private static bool TakesClasses(IReadOnlyList<OutputSpec> outputs, string output) => outputs.Single(o => o.Name == output).TakesClasses;

    private static Dataset FromFiles(DataFiles files, bool classes, string directory, int? classCount, TabularFiles tables, IReadOnlyList<OutputSpec>? outputs)
    {
        var inputs = new List<(string, Tensor)>();
        CsvTable? table = null;
        foreach (var (name, file) in files.Inputs)
        {
            string path = Path.Combine(directory, file);
            if (Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                (var features, table) = tables.Read(name, path);
                inputs.Add((name, features));
            }
            else inputs.Add((name, ReadArray(path)));
        }
        if (files.OutputTargets is { } perOutput)
            return Dataset.PerOutput(inputs, perOutput.Select(t =>
            {
                string path = Path.Combine(directory, t.Path);
                return (t.Output, Assemble(inputs, ReadArray(path), path, TakesClasses(outputs!, t.Output), null));
            }).ToArray());
        if (files.Targets is null) return tables.Targets(table!, inputs);
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

    /// <summary>An array from .npy, or from a CSV of numbers with a header row (samples × columns): a targets file.</summary>
    internal static Tensor ReadArray(string path)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy") return NpyFile.Read(path);
        if (extension != ".csv") throw new DataFileException(path, "name", $"expected a .npy or .csv file, got '{extension}'");
        var table = CsvReader.Read(path);
        return table.Numeric(table.Columns.Select(c => c.Name).ToArray());
    }
}
