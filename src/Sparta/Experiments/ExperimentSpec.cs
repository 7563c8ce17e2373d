using Sparta.Configuration;
using Sparta.Data.Preprocessing;

namespace Sparta.Experiments;

/// <summary>A fully resolved experiment: every hyperparameter of one run, checked, in the C# API's terms.</summary>
public sealed record ExperimentSpec(
    string Name,
    ulong Seed,
    int Epochs,
    int BatchSize,
    bool Shuffle,
    DataSpec Data,
    ModelSpec Model,
    ComponentConfig Loss,
    IReadOnlyList<ComponentConfig> Metrics,
    ComponentConfig Optimizer,
    IReadOnlyList<ComponentConfig> Callbacks,
    DiagnosticsSpec Diagnostics,
    CrossValidationSpec? CrossValidation = null,
    EnsembleSpec? Ensemble = null,
    SearchSpec? Search = null,
    bool Final = false)
{
    /// <summary>
    /// Whether a run evaluates the test set: always, unless <see cref="DataSpec.SealTest"/> keeps it sealed;
    /// then only the final run (<c>final: true</c>, <c>sparta train --final</c>) does.
    /// </summary>
    public bool EvaluatesTest => !Data.SealTest || Final;

    /// <summary>
    /// Each output's loss, weight and metrics for a model with several outputs (<c>model.outputs</c>), in
    /// the model's order; null for one output (<see cref="Loss"/> is then the first output's, <see cref="Metrics"/> empty).
    /// </summary>
    public IReadOnlyList<OutputSpec>? Outputs { get; init; }
}

/// <summary>One output of a model with several: its loss, its weight in the trained sum, its metrics (Keras' per-output compile).</summary>
public sealed record OutputSpec(string Name, ComponentConfig Loss, double Weight, IReadOnlyList<ComponentConfig> Metrics)
{
    /// <summary>Whether the output's targets are class labels (a cross-entropy over classes), rather than values.</summary>
    public bool TakesClasses => Loss.Name is "sparse_categorical_crossentropy" or "categorical_crossentropy";
}

/// <summary>
/// k-fold cross-validation of the training set before the run (<c>cross_validation:</c>): <see cref="Folds"/>
/// models, each trained on all folds but one and scored on that one; stratified by class unless told otherwise.
/// </summary>
public sealed record CrossValidationSpec(int Folds, bool Stratified);

/// <summary>
/// How <c>sparta tune</c> searches the file (<c>search:</c>): the sampler and the pruner, each a
/// registered name with parameters (Sparta.Tuning's SamplerRegistry and PrunerRegistry); null
/// when the file leaves it to the defaults or the command line. <see cref="Objectives"/> names the
/// run's measures a trial is judged by (several make a study of several objectives), each
/// minimized or maximized as <see cref="Directions"/> says (null: as the measure implies), and
/// <see cref="Constraints"/> bounds measures from above (a trial over a bound is infeasible).
/// </summary>
public sealed record SearchSpec(ComponentConfig? Sampler, ComponentConfig? Pruner, IReadOnlyList<string>? Objectives = null,
    IReadOnlyList<string>? Directions = null, IReadOnlyDictionary<string, double>? Constraints = null)
{
    public static IReadOnlyCollection<string> Keys { get; } = ["sampler", "pruner", "objectives", "directions", "constraints"];
}

/// <summary><see cref="Members"/> models of the same experiment from seeds seed, seed + 1, ...; their outputs averaged (<c>ensemble:</c>).</summary>
public sealed record EnsembleSpec(int Members);

/// <summary>
/// LSUV initialization (<c>model.lsuv:</c>, Mishkin and Matas 2016) on the first <see cref="Batch"/>
/// training examples, after the initializers and before training.
/// </summary>
public sealed record LsuvSpec(double Tolerance, int MaxTrials, int Batch, bool Orthonormal)
{
    public static LsuvSpec Default { get; } = new(0.1, 10, 256, true);
}

/// <summary>
/// What the run records about its insides into <c>diagnostics.json</c> (the <c>diagnostics:</c> key):
/// each layer's activation statistics on the first <see cref="Batch"/> training examples before
/// training and every <see cref="Every"/> epochs, and each parameter's update ratio and gradient norm,
/// measured every <see cref="UpdateEvery"/> optimizer steps and averaged per epoch.
/// </summary>
public sealed record DiagnosticsSpec(bool Activations, bool UpdateRatios, int Every, int Batch, int UpdateEvery)
{
    /// <summary>On: every epoch on 256 examples, one step in 10 measured; about 1% of a run (docs/diagnostics.md).</summary>
    public static DiagnosticsSpec Default { get; } = new(true, true, 1, 256, 10);

    public static DiagnosticsSpec Off { get; } = Default with { Activations = false, UpdateRatios = false };
}

/// <summary>
/// Where the samples come from: a registered <see cref="Dataset"/> name, or train/test files
/// (inputs by name, targets); the first <see cref="TrainSamples"/>/<see cref="TestSamples"/> only when set.
/// <see cref="TestSplit"/> holds a test set out of a training set that has none; <see cref="SealTest"/> keeps
/// it sealed from every run but the final one ("look at the test set once"); <see cref="OneHot"/>
/// gives class targets as one-hot rows; <see cref="InputsAsTargets"/> makes the (preprocessed) input the target.
/// CSV inputs may hold <see cref="Categorical"/> text columns (one-hot encoded) and the <see cref="TargetColumn"/>.
/// </summary>
public sealed record DataSpec(
    string? Dataset,
    DataFiles? Train,
    DataFiles? Test,
    double ValidationSplit,
    int? TrainSamples,
    int? TestSamples,
    IReadOnlyList<PreprocessorConfig> Preprocessing,
    IReadOnlyDictionary<string, string>? Augmentation,
    double TestSplit = 0,
    bool OneHot = false,
    bool InputsAsTargets = false,
    IReadOnlyList<string>? Categorical = null,
    string? TargetColumn = null,
    bool SealTest = false)
{
    /// <summary>For a model with several outputs: each output's target column of the CSV inputs (<c>target_column: {a: COLUMN, ...}</c>); null otherwise.</summary>
    public IReadOnlyList<(string Output, string Column)>? TargetColumns { get; init; }

    /// <summary>
    /// The seed the validation rows are drawn from, when not the experiment's: the trials of a study
    /// train from seeds of their own and are all scored on the rows the file's seed draws.
    /// </summary>
    public ulong? ValidationSeed { get; init; }

    /// <summary>
    /// For a model with several outputs trained on a registered <see cref="Dataset"/>: each output's target
    /// (<c>targets: {a: target, b: image}</c>), <see cref="SetTarget"/> for the set's own target or the name of
    /// one of its inputs (as preprocessed: an autoencoder's head); null otherwise.
    /// </summary>
    public IReadOnlyList<(string Output, string Source)>? DatasetTargets { get; init; }

    /// <summary>The value of <see cref="DatasetTargets"/> naming the registered set's own target (its labels or values).</summary>
    public const string SetTarget = "target";

    /// <summary>Whether the data gives a target per output (a model with several outputs) rather than one target.</summary>
    public bool PerOutputTargets => TargetColumns is not null || Train?.OutputTargets is not null || DatasetTargets is not null;
}

/// <summary>
/// One split stored in files: each named input's array file (.npy or .csv) and the targets' file, or
/// none when the targets are a column of the input's CSV file (<see cref="DataSpec.TargetColumn"/>).
/// </summary>
public sealed record DataFiles(IReadOnlyList<(string Name, string Path)> Inputs, string? Targets)
{
    /// <summary>For a model with several outputs: each output's targets file (<c>targets: {a: FILE, ...}</c>); null otherwise.</summary>
    public IReadOnlyList<(string Output, string Path)>? OutputTargets { get; init; }
}

/// <summary>
/// The architecture: layers chained in order from one input (sequential), or, when
/// <see cref="Inputs"/> is given, a graph in which each layer names the ids it reads, or a zoo architecture.
/// </summary>
public sealed record ModelSpec(
    string Name,
    IReadOnlyList<(string Name, int[]? Shape)>? Inputs,
    int[]? InputShape,
    IReadOnlyList<LayerSpec> Layers,
    string? Output,
    LsuvSpec? Lsuv = null,
    TransferSpec? Transfer = null)
{
    public bool IsFunctional => Inputs is not null;

    /// <summary>The ids of the layers giving a graph model's several outputs (<c>model.outputs</c>), in order; null for one output.</summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <summary>A zoo architecture and its options (<c>model: {zoo: resnet18, classes: 10}</c>), built instead of <see cref="Layers"/>.</summary>
    public ComponentConfig? Zoo { get; init; }
}

/// <summary>
/// A model that starts from a saved one (<c>model.from</c>): its layers up to <see cref="CutAfter"/>
/// (by default all but the last) keep their weights, the model's <see cref="ModelSpec.Layers"/> follow
/// them as the new head. <see cref="FreezeAll"/> freezes (true) or unfreezes (false) every kept layer;
/// <see cref="FreezeLayers"/> freezes exactly those named; with neither each layer stays as it was saved.
/// </summary>
public sealed record TransferSpec(string From, string? CutAfter, bool? FreezeAll, IReadOnlyList<string>? FreezeLayers);

/// <summary>A layer: its registered config, its instance name (<c>id</c>) and, in a graph, the ids it reads.</summary>
public sealed record LayerSpec(string Path, string? Id, ComponentConfig Config, IReadOnlyList<string> Inputs);
