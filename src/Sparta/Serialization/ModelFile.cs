using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparta.Configuration;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Serialization;

/// <summary>
/// A model saved as one zip file:
/// <list type="bullet">
/// <item><c>config.json</c>: format version and the model's architecture by registered names;</item>
/// <item><c>weights.bin</c> + <c>weights.json</c>: every weight as little-endian float32, indexed by name, shape and offset;</item>
/// <item><c>training.json</c> + <c>optimizer.bin</c> (checkpoints): optimizer, loss and metric configs,
/// the optimizer's step count, schedule state and slots, the epoch reached, the seed, dropout mask
/// counters, the callbacks' state (early stopping's patience) and the History, so <see cref="CreateTrainer"/> resumes exactly;</item>
/// <item><c>preprocessing/INPUT.json</c>: fitted preprocessing of each input, to apply to new samples;</item>
/// <item><c>experiment.yaml</c>: the experiment the model was trained from, its data paths relative to the file's directory.</item>
/// </list>
/// Files are written to a temporary file and renamed, so a crash never leaves half a model behind.
/// </summary>
public sealed partial class ModelFile
{
    public const string Format = "sparta-model";
    public const int FormatVersion = 1;

    private readonly TrainingDocument? _training;
    private readonly Dictionary<string, float[]>? _slots;

    private ModelFile(string path, Model model, TrainingDocument? training, Dictionary<string, float[]>? slots,
        IReadOnlyDictionary<string, PreprocessingPipeline> preprocessing, string? experimentYaml)
    {
        Path = path;
        Model = model;
        _training = training;
        _slots = slots;
        Preprocessing = preprocessing;
        ExperimentYaml = experimentYaml;
    }

    public string Path { get; }

    /// <summary>The model with its saved weights.</summary>
    public Model Model { get; }

    /// <summary>Whether the file is a checkpoint (has optimizer state and training progress).</summary>
    public bool HasTrainingState => _training is not null;

    /// <summary>Epochs completed when the checkpoint was written (0 for a bare model).</summary>
    public int Epoch => _training?.Epoch ?? 0;

    /// <summary>The seed of the run the checkpoint comes from.</summary>
    public ulong Seed => _training?.Seed ?? 0;

    /// <summary>The loss a checkpoint was trained with (null for a bare model).</summary>
    public ComponentConfig? Loss => _training?.Loss is { } loss ? Component(() => ConfigOf(loss, "loss"), "loss") : null;

    /// <summary>The metrics a checkpoint was trained with (empty for a bare model).</summary>
    public IReadOnlyList<ComponentConfig> Metrics => (_training?.Metrics ?? []).Select(m => Component(() => ConfigOf(m, "metric"), "metric")).ToArray();

    /// <summary>Each output's loss, weight and metrics, for a checkpoint of a model trained on several outputs (empty otherwise).</summary>
    public IReadOnlyList<Experiments.OutputSpec> Outputs => (_training?.Outputs ?? []).Select(o => new Experiments.OutputSpec(
        o.Output ?? throw new ModelFileException(Path, "training.json: an output without its name"),
        Component(() => ConfigOf(o.Loss, $"output '{o.Output}' loss"), "outputs"), o.Weight,
        (o.Metrics ?? []).Select(m => Component(() => ConfigOf(m, "metric"), "outputs")).ToArray())).ToArray();

    /// <summary>Fitted preprocessing by input name.</summary>
    public IReadOnlyDictionary<string, PreprocessingPipeline> Preprocessing { get; }

    /// <summary>The experiment the model was trained from, as YAML (null when saved without one).</summary>
    public string? ExperimentYaml { get; }

    /// <summary>Saves the model alone (architecture and weights).</summary>
    public static void Save(string path, Model model, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing = null, string? experimentYaml = null) =>
        Write(path, model, null, preprocessing, experimentYaml);

    /// <summary>Saves a checkpoint: the trainer's model, optimizer state and progress, for <see cref="CreateTrainer"/>.</summary>
    public static void Save(string path, Trainer trainer, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing = null, string? experimentYaml = null) =>
        Write(path, trainer.Model, trainer, preprocessing, experimentYaml);

    /// <summary>
    /// Recreates the trainer of a checkpoint: optimizer, loss and metrics from their registered
    /// configs, the optimizer's state, the epoch, seed, dropout counters and History. Continue with
    /// <c>Fit(data, epochs: total, seed: file.Seed)</c>.
    /// </summary>
    public Trainer CreateTrainer()
    {
        var training = _training ?? throw new ModelFileException(Path, "holds no training state (it was saved from a model, not a trainer)");
        var optimizer = Component(() => OptimizerRegistry.Create(ConfigOf(training.Optimizer, "optimizer")), "optimizer");
        var trainer = training.Outputs is not null
            ? Component(() => new Trainer(Model, optimizer, Experiments.ExperimentRunner.CreateOutputLosses(Outputs, Model)), "outputs")
            : new Trainer(Model, optimizer, Component(() => LossRegistry.Create(ConfigOf(training.Loss, "loss")), "loss"),
                (training.Metrics ?? []).Select(m => Component(() => MetricRegistry.Create(ConfigOf(m, "metric")), "metric")).ToArray());
        if (training.Iterations > 0 || _slots!.Count > 0)
        {
            var state = new OptimizerState(training.Iterations, _slots!, training.ScheduleState ?? new Dictionary<string, double>());
            Component(() => { optimizer.ImportState(state, Model.Parameters); return 0; }, "optimizer state");
        }
        trainer.Epoch = training.Epoch;
        trainer.Seed = training.Seed;
        var dropouts = Model.Layers.OfType<Dropout>().ToDictionary(d => d.Name, StringComparer.Ordinal);
        foreach (var (name, calls) in training.DropoutCalls ?? [])
            (dropouts.TryGetValue(name, out var layer) ? layer : throw new ModelFileException(Path, $"dropout counter for unknown layer '{name}'")).Calls = calls;
        RestoreHistory(trainer.History, training.History);
        if (training.Callbacks is { } callbacks)
            trainer.ResumeCallbackState(callbacks.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, double>)c.Value, StringComparer.Ordinal));
        return trainer;
    }

    private void RestoreHistory(History history, HistoryDocument? document)
    {
        var epochs = document?.Epochs ?? [];
        var values = document?.Values ?? [];
        foreach (var (key, list) in values)
            if (list.Count != epochs.Count) throw new ModelFileException(Path, $"history key '{key}' has {list.Count} values for {epochs.Count} epochs");
        for (int i = 0; i < epochs.Count; i++)
            history.Add(epochs[i], values.ToDictionary(p => p.Key, p => p.Value[i], StringComparer.Ordinal));
    }

    private ComponentConfig ConfigOf(JsonObject? node, string what) =>
        node is null ? throw new ModelFileException(Path, $"training.json lacks the {what} config") : ComponentConfig.FromJson(node.ToJsonString());

    /// <summary>Turns a bad stored config (unknown name, bad value) into one line naming this file.</summary>
    private T Component<T>(Func<T> create, string what)
    {
        try { return create(); }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelFileException(Path, $"{what}: {e.Message}", e);
        }
    }
}
