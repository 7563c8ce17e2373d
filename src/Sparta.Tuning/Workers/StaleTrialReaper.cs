using Sparta.Tuning.Distributions;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Workers;

/// <summary>
/// Finds the study's trials whose worker died (RUNNING, heartbeat older than the grace period),
/// fails them with the reason stored, and queues their retries. Every live worker runs one, so
/// one dead worker is noticed by any other; when two notice the same trial, the storage lets
/// only one fail it, and only that one queues the retry.
/// </summary>
public sealed class StaleTrialReaper
{
    private readonly IStudyStorage _storage;
    private readonly int _studyId;
    private readonly WorkerOptions _options;

    public StaleTrialReaper(IStudyStorage storage, int studyId, WorkerOptions options)
    {
        _storage = storage;
        _studyId = studyId;
        _options = options;
    }

    /// <summary>Fails the trials of dead workers and returns them as they are once failed.</summary>
    public IReadOnlyList<FrozenTrial> FailStaleTrials()
    {
        var failed = new List<FrozenTrial>();
        foreach (int trialId in _storage.GetStaleTrialIds(_studyId, _options.GracePeriod))
        {
            var trial = _storage.GetTrial(trialId);
            bool retry = FailedTrialRetry.Allows(trial, _options.MaxRetry);
            string reason = $"no heartbeat for more than {_options.GracePeriod.TotalSeconds:0.###} s: its worker died" +
                            (retry ? "; retried" : $"; not retried after {_options.MaxRetry} retries");
            // Failing the trial and queuing its retry is one transaction: a reaper killed between the two would leave a
            // failed trial without its retry, and the study one complete trial short of its budget.
            var retryTrial = retry ? FailedTrialRetry.Of(trial) : null;
            if (!_storage.FailTrialAndQueueRetry(trialId, PythonJson.String(reason), retryTrial))
                continue; // finished meanwhile: by its own worker after all, or by another worker's reaper
            var dead = _storage.GetTrial(trialId);
            failed.Add(dead);
        }
        return failed;
    }
}
