using Sparta.Configuration;
using Sparta.Data.Preprocessing;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>
/// The training callbacks an experiment file can name, with the constructor arguments under
/// Keras' names: <c>{name: early_stopping, monitor: val_loss, patience: 3, restore_best_weights: true}</c>,
/// <c>{name: model_checkpoint, filepath: checkpoints/best.sparta, monitor: val_loss, save_best_only: true}</c>.
/// </summary>
public static class CallbackRegistry
{
    /// <summary>Every callback name, with file paths taken as written (what an experiment file is checked against).</summary>
    public static Registry<Callback> Registry { get; } = For("", null);

    /// <summary>
    /// The callbacks of one run: a relative file path is taken from <paramref name="directory"/> (the
    /// experiment file's, as data paths are), and a checkpoint carries the run's fitted preprocessing,
    /// so it predicts from raw inputs as the run's model file does, and its <paramref name="experiment"/>,
    /// so it is evaluated on its test set and resumed only by the same experiment.
    /// </summary>
    public static Registry<Callback> For(string directory, IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing, Experiment? experiment = null)
    {
        Func<string, string>? experimentYaml = experiment is null ? null
            : file => experiment.MovedTo(Path.GetDirectoryName(Path.GetFullPath(file))!).ToYaml();
        var registry = new Registry<Callback>("callback");
        registry.Register("early_stopping", r => new EarlyStopping(
            Text(r, "monitor", "val_loss"), r.Double("min_delta", 0), r.Int("patience", 0),
            r.Choice("mode", "auto", Training.Callbacks.Monitor.Modes), r.Bool("restore_best_weights", false)));
        registry.Register("divergence_guard", r => new DivergenceGuard(r.Double("factor", 3), Text(r, "monitor", "loss")));
        registry.Register("model_checkpoint", r => new ModelCheckpoint(
            Path.Combine(directory, FilePath(r, "filepath")), r.Bool("save_best_only", false), Text(r, "monitor", "val_loss"),
            r.Choice("mode", "auto", Training.Callbacks.Monitor.Modes), preprocessing: preprocessing, experimentYaml: experimentYaml));
        return registry;
    }

    private static string Text(ConfigReader r, string key, string fallback) => r.Raw(key) switch
    {
        null => fallback,
        string s => s,
        var other => throw new ConfigKeyException($"{r.Owner}: {key} must be a logged name such as val_loss, got {other}", key,
            $"must be a logged name such as val_loss, got {other}"),
    };

    private static string FilePath(ConfigReader r, string key)
    {
        object? raw = r.Raw(key);
        if (raw is string path && path.Trim().Length > 0) return path;
        string problem = $"must be a file path such as checkpoints/epoch-{{epoch}}.sparta, got {raw ?? "nothing"}";
        throw new ConfigKeyException($"{r.Owner}: {key} {problem}", key, problem);
    }
}
