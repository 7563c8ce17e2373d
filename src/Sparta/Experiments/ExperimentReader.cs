using System.Globalization;
using Sparta.Configuration;
using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;

namespace Sparta.Experiments;

/// <summary>
/// Turns an experiment tree (without distributions) into an <see cref="ExperimentSpec"/>, checking
/// every key and creating every component once through its registry, so a typo or a bad value
/// fails here, in one line, before any data is loaded.
/// </summary>
internal sealed class ExperimentReader(string file, string defaultName)
{
    /// <summary>Every top-level key of an experiment file.</summary>
    public static readonly IReadOnlyCollection<string> TopLevelKeys =
    [
        "name", "seed", "epochs", "batch_size", "shuffle", "data", "model", "loss", "loss_weights", "metrics", "optimizer", "callbacks", "diagnostics",
        "cross_validation", "ensemble", "search", "final",
    ];

    public ExperimentSpec Read(YamlTree root)
    {
        var top = new MappingReader(root, file, "", TopLevelKeys);
        string name = top.Text("name") ?? defaultName;
        ulong seed = (ulong)top.Int("seed", 0, 0);
        int epochs = top.Int("epochs", 1, 1);
        int batchSize = top.Int("batch_size", 32, 1);
        bool shuffle = top.Bool("shuffle", true);
        var data = ReadData(top.Required("data", "data: {dataset: fashion-mnist}"), "data");
        var model = ReadModel(top.Required("model", "model: {layers: [flatten, {name: dense, units: 10}]}"), "model", name);
        var lossNode = top.Required("loss", "loss: sparse_categorical_crossentropy");
        var outputs = model.Outputs is { } names ? new OutputsReader(this, file).Read(names, lossNode, top.Get("loss_weights"), top.Get("metrics"), data) : null;
        if (outputs is null && (data.TargetColumns is not null || data.Train?.OutputTargets is not null))
            throw new ExperimentException(file, data.TargetColumns is not null ? "data.target_column" : "data.train.targets", "maps outputs to their targets, and the model has one output; list its outputs in model.outputs, or give one target");
        if (outputs is null && top.Get("loss_weights") is not null)
            throw new ExperimentException(file, "loss_weights", "weighs the losses of a model with several outputs; give model.outputs, or remove loss_weights");
        var loss = outputs?[0].Loss ?? Component(lossNode, "loss", LossRegistry.Registry);
        if (data.OneHot && loss.Name == "sparse_categorical_crossentropy")
            throw new ExperimentException(file, "data.one_hot", "sparse_categorical_crossentropy takes class indices; use categorical_crossentropy (or another loss) with one-hot targets, or remove one_hot");
        CheckMixupHasOneHotLabels(data, loss);
        var metrics = outputs is not null ? [] : List(top.Get("metrics"), "metrics").Select((m, i) => Component(m, $"metrics.{i}", MetricRegistry.Registry)).ToArray();
        var optimizer = Component(top.Get("optimizer") ?? YamlTree.Scalar("rmsprop"), "optimizer", OptimizerRegistry.Registry);
        if (optimizer.Name == Lbfgs.RegisteredName && data.Augmentation is not null)
            throw new ExperimentException(file, "data.augmentation", "optimizer lbfgs minimizes one fixed full-batch loss, and augmentation would change it at every evaluation; remove one of them");
        var callbacks = List(top.Get("callbacks"), "callbacks").Select((c, i) => Component(c, $"callbacks.{i}", CallbackRegistry.Registry)).ToArray();
        var diagnostics = top.Get("diagnostics") is { } d ? ReadDiagnostics(d, "diagnostics") : DiagnosticsSpec.Default;
        var crossValidation = top.Get("cross_validation") is { } cv ? ReadCrossValidation(cv, "cross_validation") : null;
        var ensemble = top.Get("ensemble") is { } en ? ReadEnsemble(en, "ensemble") : null;
        if (ensemble is not null && outputs is not null)
            throw new ExperimentException(file, "ensemble", $"averages the one output of its members, and model.outputs gives {outputs.Count}; remove ensemble");
        var search = top.Get("search") is { } se ? ReadSearch(se, "search") : null;
        bool final = top.Bool("final", false);
        if (final && !data.SealTest)
            throw new ExperimentException(file, "final", "(sparta train --final) opens the test set that data.seal_test keeps sealed, and this file does not seal it (every run evaluates it); set data.seal_test: true or drop final");
        top.Finish();
        return new ExperimentSpec(name, seed, epochs, batchSize, shuffle, data, model, loss, metrics, optimizer, callbacks, diagnostics, crossValidation, ensemble, search, final)
        {
            Outputs = outputs,
        };
    }

    /// <summary><c>cross_validation: 5</c> or <c>{folds: 5, stratified: false}</c>.</summary>
    private CrossValidationSpec ReadCrossValidation(YamlTree node, string path)
    {
        if (node.IsScalar) return new CrossValidationSpec(Scalars.Int(node, file, path, 2), true);
        var m = new MappingReader(node, file, path);
        var spec = new CrossValidationSpec(m.Int("folds", 5, 2), m.Bool("stratified", true));
        m.Finish();
        return spec;
    }

    /// <summary>
    /// <c>search: {sampler: {name: tpe, startup_trials: 20}, pruner: median}</c>: how <c>sparta tune</c>
    /// searches; the tuning library checks the names and parameters against its registries.
    /// </summary>
    private SearchSpec ReadSearch(YamlTree node, string path)
    {
        var m = new MappingReader(node, file, path, SearchSpec.Keys);
        var objectives = m.Get("objectives") is { } o ? TextList(o, m.At("objectives"), distinct: true) : null;
        var directions = m.Get("directions") is { } d ? TextList(d, m.At("directions")) : null;
        for (int k = 0; k < (directions?.Length ?? 0); k++)
            if (directions![k] is not ("minimize" or "maximize"))
                throw new ExperimentException(file, $"{m.At("directions")}.{k}", $"expected minimize or maximize, got '{directions[k]}'");
        if (directions is not null && directions.Length != (objectives?.Length ?? 1))
            throw new ExperimentException(file, m.At("directions"), objectives is null
                ? $"{directions.Length} directions need as many objectives; name them in search.objectives (e.g. [val_accuracy, parameters])"
                : $"{directions.Length} directions for {objectives.Length} objectives; give one per objective");
        Dictionary<string, double>? constraints = null;
        if (m.Get("constraints") is { } c)
        {
            var cm = new MappingReader(c, file, m.At("constraints"));
            if (c.Entries!.Count == 0)
                throw new ExperimentException(file, m.At("constraints"), "expected a mapping of measures to their upper bounds, e.g. {train_s: 60}");
            constraints = c.Entries.ToDictionary(e => e.Key, e => cm.Number(e.Key, 0), StringComparer.Ordinal);
        }
        var spec = new SearchSpec(m.Get("sampler") is { } s ? ToConfig(s, m.At("sampler")) : null, m.Get("pruner") is { } p ? ToConfig(p, m.At("pruner")) : null,
            objectives, directions, constraints);
        m.Finish();
        return spec;
    }

    /// <summary>A non-empty list of names: <c>[val_accuracy, parameters]</c>; with <paramref name="distinct"/>, none twice.</summary>
    private string[] TextList(YamlTree node, string path, bool distinct = false)
    {
        if (!node.IsSequence || node.Items!.Count == 0) throw new ExperimentException(file, path, "expected a list of names, e.g. [val_accuracy, parameters]");
        var names = node.Items.Select((n, k) => Scalars.Text(n, file, $"{path}.{k}")).ToArray();
        for (int k = 1; k < names.Length && distinct; k++)
            if (Array.IndexOf(names, names[k]) < k) throw new ExperimentException(file, $"{path}.{k}", $"'{names[k]}' is listed twice");
        return names;
    }

    /// <summary>A name (<c>tpe</c>) or a mapping with a <c>name</c> and parameters, read from command-line text as from a file.</summary>
    public static ComponentConfig ParseComponent(string text, string where) =>
        new ExperimentReader(where, where).ToConfig(YamlTree.ParseValue(text, where, ""), "");

    /// <summary><c>ensemble: 5</c> or <c>{members: 5}</c>.</summary>
    private EnsembleSpec ReadEnsemble(YamlTree node, string path)
    {
        if (node.IsScalar) return new EnsembleSpec(Scalars.Int(node, file, path, 1));
        var m = new MappingReader(node, file, path);
        var spec = new EnsembleSpec(m.Int("members", 5, 1));
        m.Finish();
        return spec;
    }

    /// <summary><c>lsuv: true</c> (the paper's values) or <c>{tolerance: 0.1, max_trials: 10, batch: 256, orthonormal: true}</c>.</summary>
    private LsuvSpec? ReadLsuv(YamlTree node, string path)
    {
        if (node.IsScalar) return Scalars.Bool(node, file, path) ? LsuvSpec.Default : null;
        var m = new MappingReader(node, file, path);
        var defaults = LsuvSpec.Default;
        double tolerance = m.Number("tolerance", defaults.Tolerance);
        if (!(tolerance > 0)) throw new ExperimentException(file, m.At("tolerance"), $"must be above 0, got {Scalars.Format(tolerance)}");
        var spec = new LsuvSpec(tolerance, m.Int("max_trials", defaults.MaxTrials, 1), m.Int("batch", defaults.Batch, 2), m.Bool("orthonormal", defaults.Orthonormal));
        m.Finish();
        return spec;
    }

    /// <summary>Mixup blends labels, so it needs one-hot ones: categorical cross-entropy's, or the file's <c>data.one_hot</c>.</summary>
    private void CheckMixupHasOneHotLabels(DataSpec data, ComponentConfig loss)
    {
        if (data.Augmentation is not { } augmentation || AugmentationParameters.Parse(augmentation).MixupAlpha == 0) return;
        if (loss.Name != "categorical_crossentropy" && !data.OneHot)
            throw new ExperimentException(file, "data.augmentation.mixup_alpha",
                $"mixup blends one-hot labels: use loss categorical_crossentropy or data.one_hot: true; got loss '{loss.Name}'");
    }

    /// <summary><c>diagnostics: false</c>, <c>true</c> (the defaults), or <c>{activations: true, update_ratios: true, every: 5, batch: 128, update_every: 1}</c>.</summary>
    private DiagnosticsSpec ReadDiagnostics(YamlTree node, string path)
    {
        if (node.IsScalar) return Scalars.Bool(node, file, path) ? DiagnosticsSpec.Default : DiagnosticsSpec.Off;
        var m = new MappingReader(node, file, path);
        var defaults = DiagnosticsSpec.Default;
        var spec = new DiagnosticsSpec(m.Bool("activations", defaults.Activations), m.Bool("update_ratios", defaults.UpdateRatios),
            m.Int("every", defaults.Every, 1), m.Int("batch", defaults.Batch, 1), m.Int("update_every", defaults.UpdateEvery, 1));
        m.Finish();
        return spec;
    }

    private DataSpec ReadData(YamlTree node, string path)
    {
        var m = new MappingReader(node, file, path);
        string? dataset = m.Text("dataset");
        if (dataset is not null && !DatasetRegistry.Names.Contains(dataset))
            throw new ExperimentException(file, m.At("dataset"), $"unknown dataset '{dataset}'; {Suggest.Names(dataset, DatasetRegistry.Names)}");
        var (targetColumn, targetColumns) = TargetColumns(m.Get("target_column"), m.At("target_column"));
        var categorical = List(m.Get("categorical"), m.At("categorical")).Select((c, k) => Scalars.Text(c, file, $"{m.At("categorical")}.{k}")).ToArray();
        string? columnNamed = targetColumn ?? targetColumns?[0].Column;
        var train = m.Get("train") is { } t ? ReadFiles(t, m.At("train"), columnNamed) : null;
        var test = m.Get("test") is { } s ? ReadFiles(s, m.At("test"), columnNamed) : null;
        var datasetTargets = m.Get("targets") is { } targetsNode ? DatasetTargets(targetsNode, m.At("targets"), dataset) : null;
        if (dataset is not null && (columnNamed is not null || categorical.Length > 0))
            throw new ExperimentException(file, m.At(columnNamed is not null ? "target_column" : "categorical"), $"applies to CSV files in data.train, not to dataset '{dataset}'");
        if ((dataset is null) == (train is null))
            throw new ExperimentException(file, path, "give either 'dataset' (a registered name) or 'train' files, not both or neither");
        if (dataset is not null && test is not null)
            throw new ExperimentException(file, m.At("test"), "a registered dataset brings its own test split; remove 'test'");
        double validation = m.Number("validation_split", 0);
        if (!(validation >= 0 && validation < 1))
            throw new ExperimentException(file, m.At("validation_split"), $"must be in [0, 1), got {Scalars.Format(validation)}");
        double testSplit = m.Number("test_split", 0);
        if (!(testSplit >= 0 && testSplit < 1))
            throw new ExperimentException(file, m.At("test_split"), $"must be in [0, 1), got {Scalars.Format(testSplit)}");
        if (testSplit > 0 && (test is not null || (dataset is not null && DatasetRegistry.HasSplit(dataset, "test"))))
            throw new ExperimentException(file, m.At("test_split"), $"{(test is not null ? "data.test gives" : $"dataset '{dataset}' brings")} a test set already; remove test_split");
        if (validation + testSplit >= 1)
            throw new ExperimentException(file, m.At("test_split"), $"validation_split + test_split must leave training samples, got {Scalars.Format(validation)} + {Scalars.Format(testSplit)}");
        bool oneHot = m.Bool("one_hot", false);
        bool inputsAsTargets = m.Bool("inputs_as_targets", false);
        bool perOutput = targetColumns is not null || train?.OutputTargets is not null || datasetTargets is not null;
        if (perOutput && (oneHot || inputsAsTargets))
            throw new ExperimentException(file, m.At(oneHot ? "one_hot" : "inputs_as_targets"), "shapes one target, and the data gives a target per output; remove it (categorical_crossentropy outputs take class labels as they are)");
        if (train is not null && test is not null && (train.OutputTargets is null) != (test.OutputTargets is null))
            throw new ExperimentException(file, m.At("test.targets"), "data.train and data.test give their targets alike: one file each, or a mapping of output name → file each");
        if (oneHot && inputsAsTargets)
            throw new ExperimentException(file, m.At("one_hot"), "the targets are either one-hot classes or the inputs (inputs_as_targets), not both");
        int? validationSeed = m.OptionalInt("validation_seed", 0);
        int? trainSamples = m.OptionalInt("train_samples", 1);
        int? testSamples = m.OptionalInt("test_samples", 1);
        bool sealTest = m.Bool("seal_test", false);
        if (sealTest && test is null && testSplit == 0 && !(dataset is not null && DatasetRegistry.HasSplit(dataset, "test")))
            throw new ExperimentException(file, m.At("seal_test"), "there is no test set to seal; give data.test files, data.test_split or a dataset with a test split");
        var preprocessing = List(m.Get("preprocessing"), m.At("preprocessing")).Select((p, i) => Preprocessing(p, $"{m.At("preprocessing")}.{i}")).ToArray();
        var augmentation = m.Get("augmentation") is { } a ? Augmentation(a, m.At("augmentation")) : null;
        m.Finish();
        if (perOutput && augmentation is not null && AugmentationParameters.Parse(augmentation).MixupAlpha > 0)
            throw new ExperimentException(file, m.At("augmentation.mixup_alpha"), "mixup blends the labels of one classifier output, and the data gives a target per output; remove mixup_alpha");
        return new DataSpec(dataset, train, test, validation, trainSamples, testSamples, preprocessing, augmentation, testSplit, oneHot, inputsAsTargets,
            categorical, targetColumn, sealTest) { TargetColumns = targetColumns, DatasetTargets = datasetTargets, ValidationSeed = (ulong?)validationSeed };
    }

    /// <summary>
    /// <c>targets: {class: target, decoded: image}</c> with a registered dataset: each output of a model with several
    /// trains on the set's own target or on one of its inputs (as preprocessed).
    /// </summary>
    private IReadOnlyList<(string Output, string Source)> DatasetTargets(YamlTree node, string path, string? dataset)
    {
        if (dataset is null)
            throw new ExperimentException(file, path, "names each output's target in a registered dataset; with data.train files, give data.train.targets (a file per output) or data.target_column");
        if (!node.IsMapping || node.Entries!.Count == 0)
            throw new ExperimentException(file, path, $"must map each output name to '{DataSpec.SetTarget}' (the dataset's target) or an input of the dataset, got {Scalars.Show(node)}");
        string input = DatasetRegistry.Find(dataset).Input;
        return node.Entries.Select(e =>
        {
            string source = Scalars.Text(e.Value, file, $"{path}.{e.Key}");
            return source == DataSpec.SetTarget || source == input ? (e.Key, source)
                : throw new ExperimentException(file, $"{path}.{e.Key}", $"must be '{DataSpec.SetTarget}' (the target of dataset '{dataset}') or '{input}' (its input), got '{source}'");
        }).ToArray();
    }

    /// <summary><c>target_column: species</c>, or <c>{species: species, mass: body_mass_g}</c>: a column per output of a model with several.</summary>
    private (string? Column, IReadOnlyList<(string Output, string Column)>? PerOutput) TargetColumns(YamlTree? node, string path)
    {
        if (node is null) return (null, null);
        if (node.IsScalar) return (Scalars.Text(node, file, path), null);
        if (!node.IsMapping || node.Entries!.Count == 0)
            throw new ExperimentException(file, path, $"must be a column name, or a mapping of output name → column name, got {Scalars.Show(node)}");
        var columns = node.Entries.Select(e => (e.Key, Scalars.Text(e.Value, file, $"{path}.{e.Key}"))).ToArray();
        var twice = columns.GroupBy(c => c.Item2).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ExperimentException(file, path, $"column '{twice.Key}' is the target of two outputs");
        return (null, columns);
    }

    private DataFiles ReadFiles(YamlTree node, string path, string? targetColumn)
    {
        var m = new MappingReader(node, file, path);
        var inputsNode = m.Required("inputs", "inputs: x_train.npy");
        List<(string, string)> inputs = inputsNode switch
        {
            { IsScalar: true } => [("input", Scalars.Text(inputsNode, file, m.At("inputs")))],
            { IsMapping: true } => inputsNode.Entries!.Select(e => (e.Key, Scalars.Text(e.Value, file, $"{m.At("inputs")}.{e.Key}"))).ToList(),
            _ => throw new ExperimentException(file, m.At("inputs"), $"must be a file name or a mapping of input names to files, got {Scalars.Show(inputsNode)}"),
        };
        var targetsNode = targetColumn is null ? m.Required("targets", "targets: y_train.npy") : null;
        string? targets = targetsNode is { IsMapping: false } ? Scalars.Text(targetsNode, file, m.At("targets")) : null;
        var perOutput = targetsNode is { IsMapping: true }
            ? targetsNode.Entries!.Select(e => (e.Key, Scalars.Text(e.Value, file, $"{m.At("targets")}.{e.Key}"))).ToArray()
            : null;
        if (targetColumn is not null && m.Get("targets") is not null)
            throw new ExperimentException(file, m.At("targets"), $"the targets are data.target_column '{targetColumn}' of the inputs' file; remove targets");
        if (targetColumn is not null && (inputs.Count != 1 || !inputs[0].Item2.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
            throw new ExperimentException(file, m.At("inputs"), $"data.target_column reads the targets out of one CSV file of inputs, got {string.Join(", ", inputs.Select(i => i.Item2))}");
        m.Finish();
        return new DataFiles(inputs, targets) { OutputTargets = perOutput };
    }

    private PreprocessorConfig Preprocessing(YamlTree node, string path)
    {
        var config = ToConfig(node, path);
        var parameters = config.Parameters.ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.Ordinal);
        var step = new PreprocessorConfig(config.Name, parameters);
        Wrap(path, () => Preprocessor.Create(step));
        return step;
    }

    private IReadOnlyDictionary<string, string> Augmentation(YamlTree node, string path)
    {
        if (!node.IsMapping) throw new ExperimentException(file, path, $"must be a mapping of Keras ImageDataGenerator arguments, got {Scalars.Show(node)}");
        var parameters = node.Entries!.ToDictionary(e => e.Key, e => e.Value.IsSequence
            ? "[" + string.Join(", ", e.Value.Items!.Select(i => Scalars.Text(i, file, $"{path}.{e.Key}"))) + "]"
            : Scalars.Text(e.Value, file, $"{path}.{e.Key}"), StringComparer.Ordinal);
        Wrap(path, () => AugmentationParameters.Parse(parameters).Validate());
        return parameters;
    }

    private ModelSpec ReadModel(YamlTree node, string path, string experimentName)
    {
        var m = new MappingReader(node, file, path);
        string name = m.Text("name") ?? experimentName;
        int[]? inputShape = m.Get("input_shape") is { } s ? Shape(s, m.At("input_shape")) : null;
        if (m.Get("zoo") is { } zoo) return ReadZooModel(node, m, zoo, name, inputShape);
        List<(string, int[]?)>? inputs = null;
        if (m.Get("inputs") is { } i)
        {
            if (!i.IsMapping || i.Entries!.Count == 0)
                throw new ExperimentException(file, m.At("inputs"), $"must map input names to shapes, e.g. {{image: [1, 28, 28], age: [1]}}, got {Scalars.Show(i)}");
            inputs = i.Entries.Select(e => (e.Key, e.Value.IsScalar && e.Value.Text == "" ? null : Shape(e.Value, $"{m.At("inputs")}.{e.Key}"))).ToList();
            if (inputShape is not null) throw new ExperimentException(file, m.At("input_shape"), "give 'inputs' (a graph) or 'input_shape' (a sequence of layers), not both");
        }
        var transfer = ReadTransfer(m);
        if (transfer is not null && (inputs is not null || inputShape is not null))
            throw new ExperimentException(file, m.At(inputs is not null ? "inputs" : "input_shape"), "a model that starts from a saved one takes its inputs from it; remove this key");
        var blocks = ModelBlocks.Read(m.Get("blocks"), m.At("blocks"), file);
        // A transferred model may keep its base whole (the second stage of a fine-tuning), so its head can be empty.
        var layerNodes = List(transfer is null ? m.Required("layers", "layers: [flatten, {name: dense, units: 10}]") : m.Get("layers"), m.At("layers"));
        if (layerNodes.Count == 0 && transfer is null) throw new ExperimentException(file, m.At("layers"), "needs at least one layer");
        var layers = blocks.Expand(layerNodes, m.At("layers"), inputs?[0].Item1)
            .Select(l => InBlock(l.Context, () => Layer(l.Layer, l.Path, inputs is not null))).ToList();
        string? output = m.Text("output");
        var outputs = m.Get("outputs") is { } o ? ReadOutputNames(o, m.At("outputs"), inputs is not null) : null;
        if (outputs is not null && output is not null)
            throw new ExperimentException(file, m.At("output"), "give one output (output) or several (outputs), not both");
        var lsuv = m.Get("lsuv") is { } l ? ReadLsuv(l, m.At("lsuv")) : null;
        m.Finish();
        CheckGraph(layers, inputs, output, m);
        foreach (var (id, k) in (outputs ?? []).Select((id, k) => (id, k)))
            if (!layers.Any(layer => layer.Id == id))
                throw new ExperimentException(file, $"{m.At("outputs")}.{k}", $"'{id}' is not a layer id; {Suggest.Names(id, layers.Where(x => x.Id is not null).Select(x => x.Id!).ToList())}");
        return new ModelSpec(name, inputs, inputShape, layers, output, lsuv, transfer) { Outputs = outputs };
    }

    /// <summary><c>outputs: [species, mass]</c>: the ids of the layers giving a graph model's outputs (Keras' <c>Model(inputs, [a, b])</c>).</summary>
    private string[] ReadOutputNames(YamlTree node, string path, bool functional)
    {
        if (!functional) throw new ExperimentException(file, path, "a model with several outputs is a graph; give model.inputs and an id to each output layer");
        if (!node.IsSequence || node.Items!.Count < 2)
            throw new ExperimentException(file, path, $"must list two layer ids or more (one output is model.output), got {Scalars.Show(node)}");
        var names = node.Items.Select((n, k) => Scalars.Text(n, file, $"{path}.{k}")).ToArray();
        var twice = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ExperimentException(file, path, $"lists '{twice.Key}' twice");
        return names;
    }

    /// <summary><c>from: base.sparta</c>, <c>cut_after: dense_1</c>, <c>freeze: true | false | [names]</c> (absent: as saved).</summary>
    private TransferSpec? ReadTransfer(MappingReader m)
    {
        string? from = m.Text("from");
        string? cutAfter = m.Text("cut_after");
        var freezeNode = m.Get("freeze");
        if (from is null)
        {
            if (cutAfter is not null || freezeNode is not null)
                throw new ExperimentException(file, m.At(cutAfter is not null ? "cut_after" : "freeze"), "applies to a model that starts from a saved one; give model.from");
            return null;
        }
        if (from.Length == 0) throw new ExperimentException(file, m.At("from"), "must name a model file, got ''");
        if (freezeNode is null) return new TransferSpec(from, cutAfter, null, null);
        if (freezeNode.IsSequence)
            return new TransferSpec(from, cutAfter, null, freezeNode.Items!.Select((n, k) => Scalars.Text(n, file, $"{m.At("freeze")}.{k}")).ToArray());
        if (freezeNode.IsScalar) return new TransferSpec(from, cutAfter, Scalars.Bool(freezeNode, file, m.At("freeze")), null);
        throw new ExperimentException(file, m.At("freeze"), $"must be true, false or a list of layer names, got {Scalars.Show(freezeNode)}");
    }

    /// <summary>
    /// A zoo architecture (<c>model: {zoo: resnet18, classes: 10}</c>): the model's other keys are
    /// the architecture's options, checked by its registry entry; it brings its own layers.
    /// </summary>
    private ModelSpec ReadZooModel(YamlTree node, MappingReader m, YamlTree zoo, string name, int[]? inputShape)
    {
        string architecture = Scalars.Text(zoo, file, m.At("zoo"));
        if (!ZooRegistry.Registry.Contains(architecture))
            throw new ExperimentException(file, m.At("zoo"), $"unknown zoo model '{architecture}'; {Suggest.Names(architecture, ZooRegistry.Registry.Names)}");
        foreach (string key in new[] { "layers", "inputs", "output", "outputs", "blocks" })
            if (node[key] is not null) throw new ExperimentException(file, m.At(key), $"a zoo model brings its own layers and inputs; remove '{key}'");
        var lsuv = node["lsuv"] is { } l ? ReadLsuv(l, m.At("lsuv")) : null;
        var options = node.Entries!.Where(e => e.Key is not ("zoo" or "name" or "input_shape" or "lsuv"));
        var config = ToConfig(YamlTree.Mapping(options.Prepend(new("name", zoo))), m.Path);
        Wrap(m.Path, () => ZooRegistry.Create(config));
        return new ModelSpec(name, null, inputShape, [], null, lsuv) { Zoo = config };
    }

    /// <summary>Reads a layer that came from a block, adding which use of which block to its problem.</summary>
    private static T InBlock<T>(string? context, Func<T> read)
    {
        if (context is null) return read();
        try { return read(); }
        catch (ExperimentException e) { throw new ExperimentException(e.File, e.KeyPath, $"{e.Problem} ({context})", e); }
    }

    private LayerSpec Layer(YamlTree node, string path, bool functional)
    {
        string? id = null;
        var reads = new List<string>();
        if (node.IsMapping)
        {
            var kept = new List<KeyValuePair<string, YamlTree>>();
            foreach (var entry in node.Entries!)
            {
                string at = YamlTree.Join(path, entry.Key);
                if (entry.Key == "id") id = Scalars.Text(entry.Value, file, at);
                else if (entry.Key == "inputs")
                {
                    if (!functional) throw new ExperimentException(file, at, "a sequential model chains its layers; give model.inputs to build a graph");
                    reads.AddRange(entry.Value.IsSequence ? entry.Value.Items!.Select((x, j) => Scalars.Text(x, file, $"{at}.{j}")) : [Scalars.Text(entry.Value, file, at)]);
                }
                else kept.Add(entry);
            }
            node = YamlTree.Mapping(kept);
        }
        var config = Component(node, path, LayerRegistry.Registry);
        if (id is not null) Wrap(YamlTree.Join(path, "id"), () => LayerNames.Check(id));
        return new LayerSpec(path, id, config, reads);
    }

    /// <summary>Ids are unique; a graph layer reads only inputs or earlier ids (without <c>inputs</c>, the layer before it).</summary>
    private void CheckGraph(List<LayerSpec> layers, List<(string Name, int[]? Shape)>? inputs, string? output, MappingReader m)
    {
        var known = new List<string>(inputs?.Select(i => i.Name) ?? []);
        foreach (var layer in layers)
        {
            foreach (string read in layer.Inputs)
                if (!known.Contains(read))
                    throw new ExperimentException(file, YamlTree.Join(layer.Path, "inputs"), $"'{read}' is neither an input nor an earlier layer's id; {Suggest.Names(read, known)}");
            if (layer.Id is not null)
            {
                if (known.Contains(layer.Id)) throw new ExperimentException(file, YamlTree.Join(layer.Path, "id"), $"'{layer.Id}' is already used");
                known.Add(layer.Id);
            }
        }
        if (output is not null && !known.Contains(output))
            throw new ExperimentException(file, m.At("output"), $"'{output}' is not a layer id; {Suggest.Names(output, known)}");
    }

    private int[] Shape(YamlTree node, string path)
    {
        if (!node.IsSequence || node.Items!.Count == 0)
            throw new ExperimentException(file, path, $"must be a list of dimensions, e.g. [1, 28, 28], got {Scalars.Show(node)}");
        return node.Items.Select((d, k) => Scalars.Int(d, file, $"{path}.{k}", 1)).ToArray();
    }

    internal List<YamlTree> List(YamlTree? node, string path) => node switch
    {
        null => [],
        { IsSequence: true } => node.Items!,
        _ => throw new ExperimentException(file, path, $"must be a list, got {Scalars.Show(node)}"),
    };

    /// <summary>A registered component, checked by creating it once; errors name the key path.</summary>
    internal ComponentConfig Component<T>(YamlTree node, string path, Registry<T> registry)
    {
        var config = ToConfig(node, path);
        ConfigProblems.Create(registry, config, Reporter(path));
        return config;
    }

    /// <summary>Reports a component's problem as this file's key under <paramref name="path"/>.</summary>
    private ConfigProblems.Reporter Reporter(string path) =>
        (key, problem, inner) => new ExperimentException(file, key.Length == 0 ? path : YamlTree.Join(path, key), problem, inner);

    /// <summary>A name (<c>adam</c>) or a mapping with a <c>name</c> and parameters; nested mappings are nested configs, lists hold plain values (<c>kernel_size: [3, 5]</c>).</summary>
    private ComponentConfig ToConfig(YamlTree node, string path)
    {
        if (node.IsScalar) return new ComponentConfig(Scalars.Text(node, file, path));
        if (!node.IsMapping) throw new ExperimentException(file, path, $"must be a name or a mapping with a 'name', got {Scalars.Show(node)}");
        var nameNode = node["name"];
        if (nameNode is null)
        {
            string? typo = node.Entries!.Select(e => e.Key).FirstOrDefault(k => NameSuggestions.IsClose(k, "name"));
            throw typo is not null
                ? new ExperimentException(file, YamlTree.Join(path, typo), "unknown key; did you mean 'name'?")
                : new ExperimentException(file, path, "missing key 'name'");
        }
        var parameters = new List<KeyValuePair<string, object>>();
        foreach (var (key, value) in node.Entries!)
        {
            if (key == "name") continue;
            string at = YamlTree.Join(path, key);
            object parameter = value.IsScalar ? Scalars.Value(value)
                : value.IsMapping ? ToConfig(value, at)
                : value.Items!.Select((item, i) => item.IsScalar ? Scalars.Value(item)
                    : throw new ExperimentException(file, $"{at}.{i}", $"a list here holds plain values such as [3, 5], got {Scalars.Show(item)}")).ToArray();
            parameters.Add(new(key, parameter));
        }
        return new ComponentConfig(Scalars.Text(nameNode, file, YamlTree.Join(path, "name")), parameters);
    }

    private void Wrap(string path, Action check) => ConfigProblems.Check(check, Reporter(path));

    private static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IReadOnlyList<object> list => "[" + string.Join(", ", list.Select(Text)) + "]",
        _ => value.ToString()!,
    };
}
