using System.Globalization;
using Sparta.Data.Preprocessing;
using Sparta.Serialization;

namespace Sparta.Training.Callbacks;

/// <summary>
/// Saves a checkpoint (model, optimizer state, progress; see <see cref="ModelFile"/>) at the end of
/// epochs: every epoch, or with <c>saveBestOnly</c> only when <c>monitor</c> improves. A path with
/// "{epoch}" gets the epoch number ("ckpt-{epoch}.zip" → "ckpt-003.zip"). Writes are atomic, so a
/// run killed mid-save keeps its previous checkpoint. The preprocessing fitted for the inputs, when
/// given, goes into every checkpoint, so a checkpoint predicts from raw inputs.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly Monitor? _monitor;
    private readonly IReadOnlyDictionary<string, PreprocessingPipeline>? _preprocessing;
    private readonly Func<string, string>? _experimentYaml;

    /// <param name="experimentYaml">Given the file to write, the experiment the run trains (its paths relative to that file's
    /// directory), saved inside it so the checkpoint evaluates on the experiment's test set and a resume is checked against it.</param>
    public ModelCheckpoint(string path, bool saveBestOnly = false, string monitor = "val_loss", string mode = "auto", double minDelta = 0,
        IReadOnlyDictionary<string, PreprocessingPipeline>? preprocessing = null, Func<string, string>? experimentYaml = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"model checkpoint: path must be non-empty, got '{path}'", nameof(path));
        Path = path;
        if (saveBestOnly) _monitor = new Monitor(monitor, mode, minDelta, "model checkpoint");
        _preprocessing = preprocessing;
        _experimentYaml = experimentYaml;
    }

    public string Path { get; }

    /// <summary>The files written, in order.</summary>
    public List<string> Saved { get; } = [];

    public override void OnTrainBegin(Trainer trainer) => _monitor?.Reset(trainer);

    /// <summary>With save_best_only, the best value so far: a resumed run overwrites the best file only when it beats it.</summary>
    public override string? StateName => _monitor is null ? null : "model_checkpoint";

    public override IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double> { ["best"] = _monitor?.Best ?? double.NaN };

    public override void ImportState(IReadOnlyDictionary<string, double> state)
    {
        if (_monitor is not null) _monitor.Best = Read(state, "best", _monitor.Owner);
    }

    /// <summary>Runs after every other callback's epoch end, so the checkpoint holds their state of this epoch.</summary>
    public override bool RunsLast => true;

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (_monitor is not null && !_monitor.Improved(logs)) return;
        string file = Path.Replace("{epoch}", epoch.ToString("D3", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        ModelFile.Save(file, trainer, _preprocessing, _experimentYaml?.Invoke(file));
        Saved.Add(file);
    }
}
