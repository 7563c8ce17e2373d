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
            try
            {
                // The reason goes first: a finished trial can no longer change.
                _storage.SetTrialSystemAttr(trialId, TrialSystemAttrs.FailReason, PythonJson.String(reason));
                _storage.SetTrialStateValues(trialId, TrialState.Fail);
            }
            catch (InvalidOperationException)
            {
                continue; // finished meanwhile: by its own worker after all, or by another worker's reaper
            }
            var dead = _storage.GetTrial(trialId);
            if (retry) FailedTrialRetry.Enqueue(_storage, _studyId, dead);
            failed.Add(dead);
        }
        return failed;
    }
}
