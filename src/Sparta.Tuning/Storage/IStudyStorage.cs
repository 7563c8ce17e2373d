using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Storage;

/// <summary>
/// Where studies and trials live (Optuna's BaseStorage). Every method is safe to call from
/// several threads, and for the relational storages from several processes; every write is
/// atomic. The contract, shared by all implementations and checked by one test suite, is in
/// Storage/README.md.
/// </summary>
public interface IStudyStorage : IDisposable
{
    // ---- studies ----

    /// <summary>Creates a study; throws <see cref="DuplicateStudyException"/> if the name is taken.</summary>
    int CreateStudy(string name, IReadOnlyList<StudyDirection> directions);

    /// <summary>The study with this name, or null.</summary>
    StudyInfo? FindStudy(string name);

    /// <summary>Throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    StudyInfo GetStudy(int studyId);

    IReadOnlyList<StudyInfo> GetAllStudies();

    /// <summary>Deletes the study with its trials and attributes.</summary>
    void DeleteStudy(int studyId);

    /// <summary>Sets an attribute; <paramref name="json"/> is the value's JSON text.</summary>
    void SetStudyUserAttr(int studyId, string key, string json);
    void SetStudySystemAttr(int studyId, string key, string json);
    IReadOnlyDictionary<string, string> GetStudyUserAttrs(int studyId);
    IReadOnlyDictionary<string, string> GetStudySystemAttrs(int studyId);

    // ---- trials ----

    /// <summary>
    /// Creates a trial with the next number of the study and returns its id. Without a template
    /// the trial is RUNNING and started now. With one, it copies the template's state, values,
    /// datetimes, params, distributions, attributes and intermediate values (number and id are
    /// assigned): a WAITING template queues a configuration, a finished one copies a trial.
    /// </summary>
    int CreateTrial(int studyId, FrozenTrial? template = null);

    /// <summary>
    /// Atomically: when fewer than <paramref name="maxTrials"/> trials of the study are in one of
    /// <paramref name="countedStates"/>, creates a RUNNING trial as <see cref="CreateTrial"/> does
    /// and returns its id; otherwise returns null. This is how workers share a trial budget.
    /// </summary>
    int? CreateTrialWithinBudget(int studyId, int maxTrials, IReadOnlyCollection<TrialState> countedStates);

    /// <summary>
    /// Atomically moves the study's lowest-numbered WAITING trial to RUNNING (start time now)
    /// and returns its id, or null when none waits. Two workers never claim the same trial.
    /// </summary>
    int? ClaimWaitingTrial(int studyId);

    /// <summary>
    /// Records a parameter (internal value) of an unfinished trial. Throws
    /// <see cref="ArgumentException"/> when the study already holds this name with an incompatible
    /// distribution (<see cref="Distribution.CheckCompatibility"/>) and
    /// <see cref="InvalidOperationException"/> when the trial is finished.
    /// </summary>
    void SetTrialParam(int trialId, string name, double internalValue, Distribution distribution);

    /// <summary>
    /// Optuna's set_trial_state_values: sets the state (and values, when given). Moving to
    /// RUNNING succeeds only from WAITING and returns false otherwise (someone else claimed it);
    /// RUNNING sets the start time, a finished state the completion time. Throws
    /// <see cref="InvalidOperationException"/> when the trial is already finished.
    /// </summary>
    bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null);

    /// <summary>
    /// In one transaction: fails the unfinished trial <paramref name="trialId"/> with the reason
    /// <paramref name="failReasonJson"/> (its <see cref="TrialSystemAttrs.FailReason"/>) and, when
    /// <paramref name="retry"/> is given, creates that WAITING trial as <see cref="CreateTrial"/> does.
    /// A worker killed between the two steps would otherwise leave a failed trial whose retry never
    /// runs, and the study would end one complete trial short of its budget. Returns false, changing
    /// nothing, when the trial finished meanwhile (its own worker, or another worker's reaper).
    /// </summary>
    bool FailTrialAndQueueRetry(int trialId, string failReasonJson, FrozenTrial? retry);

    /// <summary>Records (or replaces) the value reported at a step; throws when the trial is finished.</summary>
    void SetTrialIntermediateValue(int trialId, int step, double value);

    /// <summary>Sets an attribute; <paramref name="json"/> is the value's JSON text. Throws when the trial is finished.</summary>
    void SetTrialUserAttr(int trialId, string key, string json);
    void SetTrialSystemAttr(int trialId, string key, string json);

    /// <summary>Throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    FrozenTrial GetTrial(int trialId);

    /// <summary>The study's trials ordered by number, optionally only those in the given states.</summary>
    IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null);

    int CountTrials(int studyId, IReadOnlyCollection<TrialState>? states = null);

    // ---- heartbeats ----

    /// <summary>Records that the worker running this trial is alive (now, by the storage's clock).</summary>
    void RecordHeartbeat(int trialId);

    /// <summary>
    /// Ids of the study's RUNNING trials whose last heartbeat is older than <paramref name="gracePeriod"/>,
    /// or, when they never sent one, whose start is older than <see cref="SilentGrace"/>.
    /// </summary>
    IReadOnlyList<int> GetStaleTrialIds(int studyId, TimeSpan gracePeriod);

    /// <summary>
    /// How long a RUNNING trial may go without its first heartbeat: a live worker stamps its trial
    /// right after starting it, and twice the grace period leaves that gap room on a loaded machine,
    /// while a trial another tool left (Optuna's process died before its first heartbeat) still fails soon.
    /// </summary>
    static TimeSpan SilentGrace(TimeSpan gracePeriod) => gracePeriod * 2;
}

/// <summary>A study name already in use in the storage.</summary>
public sealed class DuplicateStudyException(string name)
    : InvalidOperationException($"study '{name}' already exists in the storage");

/// <summary>
/// The database cannot serve a call for a reason outside Sparta (read-only or full disk, permission
/// denied, connection lost, not a study database); the message names the storage and the cause.
/// </summary>
public class StorageException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>A database opened only to read holds no study tables yet (no study was ever created in it).</summary>
public sealed class NoStudiesException(string message) : StorageException(message);
