using Sparta.Reports;
using Sparta.Serialization;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>
/// A run directory as the run trains: its staging directory (<see cref="RunDirectory.StagingOf"/>)
/// holds experiment.yaml from the start and history.json rewritten atomically after every epoch, so
/// a reader (the dashboard) sees the run's curves grow and never half a file. <see cref="Complete"/>
/// writes the remaining files and renames the directory into place; a run disposed before it
/// completes (training failed) leaves nothing behind.
/// </summary>
public sealed class LiveRun : Callback, IDisposable
{
    private readonly string _path;
    private readonly string _experimentYaml;
    private string? _staging;

    private LiveRun(string path, string experimentYaml, string staging)
    {
        _path = path;
        _experimentYaml = experimentYaml;
        _staging = staging;
    }

    /// <summary>Where the run is written while it trains.</summary>
    public string Staging => _staging ?? throw new InvalidOperationException($"run '{_path}' is already complete");

    /// <summary>Starts the run directory of <paramref name="experiment"/> at <paramref name="path"/> (which must be free), with an empty history.</summary>
    public static LiveRun Begin(string path, Experiment experiment) => Begin(path, experiment.MovedTo(path).ToYaml());

    public static LiveRun Begin(string path, string experimentYaml)
    {
        string staging = RunDirectory.CreateStaging(path);
        var run = new LiveRun(path, experimentYaml, staging);
        AtomicText.Write(Path.Combine(staging, RunFiles.ExperimentFile), experimentYaml);
        run.WriteHistory(new History());
        return run;
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs) => WriteHistory(trainer.History);

    /// <summary>Writes the finished run's files and gives the directory its name (<see cref="RunDirectory.Write(string, Experiment, RunResult)"/>).</summary>
    public void Complete(RunResult result)
    {
        string staging = Staging;
        _staging = null; // written or removed by Write, whatever happens
        RunDirectory.Write(_path, _experimentYaml, result, staging);
    }

    public void Dispose()
    {
        if (_staging is not null && Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
        _staging = null;
    }

    private void WriteHistory(History history) => AtomicText.Write(Path.Combine(Staging, RunFiles.HistoryFile), HistoryLogger.ToJson(history));
}
