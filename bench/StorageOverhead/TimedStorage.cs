using System.Diagnostics;
using Sparta.Tuning;
using Sparta.Tuning.Distributions;
using Sparta.Tuning.Storage;

/// <summary>A storage that adds up the time spent in its calls: the storage's share of a trial.</summary>
sealed class TimedStorage(IStudyStorage inner) : IStudyStorage
{
    private long _ticks;

    /// <summary>Storage time so far, in stopwatch ticks.</summary>
    public long Ticks => _ticks;

    /// <summary>Storage time since the last call, in milliseconds.</summary>
    public double TakeMilliseconds()
    {
        double ms = _ticks * 1000.0 / Stopwatch.Frequency;
        _ticks = 0;
        return ms;
    }

    private T Time<T>(Func<T> call)
    {
        long start = Stopwatch.GetTimestamp();
        try { return call(); }
        finally { _ticks += Stopwatch.GetTimestamp() - start; }
    }

    private void Time(Action call) => Time(() => { call(); return 0; });

    public int CreateStudy(string name, IReadOnlyList<StudyDirection> directions) => Time(() => inner.CreateStudy(name, directions));
    public StudyInfo? FindStudy(string name) => Time(() => inner.FindStudy(name));
    public StudyInfo GetStudy(int studyId) => Time(() => inner.GetStudy(studyId));
    public IReadOnlyList<StudyInfo> GetAllStudies() => Time(inner.GetAllStudies);
    public void DeleteStudy(int studyId) => Time(() => inner.DeleteStudy(studyId));
    public void SetStudyUserAttr(int studyId, string key, string json) => Time(() => inner.SetStudyUserAttr(studyId, key, json));
    public void SetStudySystemAttr(int studyId, string key, string json) => Time(() => inner.SetStudySystemAttr(studyId, key, json));
    public IReadOnlyDictionary<string, string> GetStudyUserAttrs(int studyId) => Time(() => inner.GetStudyUserAttrs(studyId));
    public IReadOnlyDictionary<string, string> GetStudySystemAttrs(int studyId) => Time(() => inner.GetStudySystemAttrs(studyId));
    public int CreateTrial(int studyId, FrozenTrial? template = null) => Time(() => inner.CreateTrial(studyId, template));
    public int? CreateTrialWithinBudget(int studyId, int maxTrials, IReadOnlyCollection<TrialState> countedStates) =>
        Time(() => inner.CreateTrialWithinBudget(studyId, maxTrials, countedStates));
    public int? ClaimWaitingTrial(int studyId) => Time(() => inner.ClaimWaitingTrial(studyId));
    public void SetTrialParam(int trialId, string name, double internalValue, Distribution distribution) =>
        Time(() => inner.SetTrialParam(trialId, name, internalValue, distribution));
    public bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null) =>
        Time(() => inner.SetTrialStateValues(trialId, state, values));
    public bool FailTrialAndQueueRetry(int trialId, string failReasonJson, FrozenTrial? retry) =>
        Time(() => inner.FailTrialAndQueueRetry(trialId, failReasonJson, retry));
    public void SetTrialIntermediateValue(int trialId, int step, double value) => Time(() => inner.SetTrialIntermediateValue(trialId, step, value));
    public void SetTrialUserAttr(int trialId, string key, string json) => Time(() => inner.SetTrialUserAttr(trialId, key, json));
    public void SetTrialSystemAttr(int trialId, string key, string json) => Time(() => inner.SetTrialSystemAttr(trialId, key, json));
    public FrozenTrial GetTrial(int trialId) => Time(() => inner.GetTrial(trialId));
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null) => Time(() => inner.GetAllTrials(studyId, states));
    public int CountTrials(int studyId, IReadOnlyCollection<TrialState>? states = null) => Time(() => inner.CountTrials(studyId, states));
    public void RecordHeartbeat(int trialId) => Time(() => inner.RecordHeartbeat(trialId));
    public IReadOnlyList<int> GetStaleTrialIds(int studyId, TimeSpan gracePeriod) => Time(() => inner.GetStaleTrialIds(studyId, gracePeriod));
    public void Dispose() => inner.Dispose();
}
