using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Storage;

/// <summary>
/// Studies held in this process only: the default when no storage is named, and the reference
/// the relational storages are tested against. One lock guards everything, which makes every
/// method atomic; finished trials are immutable and their snapshots are cached.
/// </summary>
public sealed class InMemoryStorage : IStudyStorage
{
    private sealed class StudyRecord(StudyInfo info)
    {
        public StudyInfo Info = info;
        public readonly Dictionary<string, string> UserAttrs = new();
        public readonly Dictionary<string, string> SystemAttrs = new();
        public readonly List<int> TrialIds = new();
        /// <summary>The first distribution recorded for each parameter name, to check later ones against.</summary>
        public readonly Dictionary<string, Distribution> Distributions = new();
    }

    private sealed class TrialRecord(int studyId, FrozenTrial trial)
    {
        public readonly int StudyId = studyId;
        public FrozenTrial Trial = trial;
        public DateTime? Heartbeat;
    }

    private readonly object _lock = new();
    private readonly Dictionary<int, StudyRecord> _studies = new();
    private readonly List<TrialRecord> _trials = new();
    private int _nextStudyId;

    public int CreateStudy(string name, IReadOnlyList<StudyDirection> directions)
    {
        lock (_lock)
        {
            if (_studies.Values.Any(s => s.Info.Name == name)) throw new DuplicateStudyException(name);
            int id = _nextStudyId++;
            _studies[id] = new StudyRecord(new StudyInfo(id, name, directions.ToArray()));
            return id;
        }
    }

    public StudyInfo? FindStudy(string name)
    {
        lock (_lock) return _studies.Values.FirstOrDefault(s => s.Info.Name == name)?.Info;
    }

    public StudyInfo GetStudy(int studyId)
    {
        lock (_lock) return Study(studyId).Info;
    }

    public IReadOnlyList<StudyInfo> GetAllStudies()
    {
        lock (_lock) return _studies.Values.Select(s => s.Info).ToList();
    }

    public void DeleteStudy(int studyId)
    {
        lock (_lock)
        {
            var study = Study(studyId);
            // Trial ids stay allocated (as database keys do); the records become unreachable.
            foreach (int id in study.TrialIds) _trials[id] = null!;
            _studies.Remove(studyId);
        }
    }

    public void SetStudyUserAttr(int studyId, string key, string json) { lock (_lock) Study(studyId).UserAttrs[key] = json; }
    public void SetStudySystemAttr(int studyId, string key, string json) { lock (_lock) Study(studyId).SystemAttrs[key] = json; }
    public IReadOnlyDictionary<string, string> GetStudyUserAttrs(int studyId) { lock (_lock) return new Dictionary<string, string>(Study(studyId).UserAttrs); }
    public IReadOnlyDictionary<string, string> GetStudySystemAttrs(int studyId) { lock (_lock) return new Dictionary<string, string>(Study(studyId).SystemAttrs); }

    public int CreateTrial(int studyId, FrozenTrial? template = null)
    {
        lock (_lock) return CreateLocked(studyId, template);
    }

    public int? CreateTrialWithinBudget(int studyId, int maxTrials, IReadOnlyCollection<TrialState> countedStates)
    {
        lock (_lock) return CountLocked(studyId, countedStates) < maxTrials ? CreateLocked(studyId, null) : null;
    }

    private int CreateLocked(int studyId, FrozenTrial? template)
    {
        var study = Study(studyId);
        int id = _trials.Count;
        var trial = template is null
            ? new FrozenTrial { State = TrialState.Running, DatetimeStart = DateTime.UtcNow }
            : template with
            {
                InternalParams = new Dictionary<string, double>(template.InternalParams),
                Distributions = new Dictionary<string, Distribution>(template.Distributions),
                UserAttrs = new Dictionary<string, string>(template.UserAttrs),
                SystemAttrs = new Dictionary<string, string>(template.SystemAttrs),
                IntermediateValues = new Dictionary<int, double>(template.IntermediateValues),
                Values = template.Values?.ToArray(),
            };
        foreach (var (name, distribution) in trial.Distributions) CheckDistribution(study, name, distribution);
        _trials.Add(new TrialRecord(studyId, trial with { TrialId = id, Number = study.TrialIds.Count }));
        study.TrialIds.Add(id);
        return id;
    }

    public int? ClaimWaitingTrial(int studyId)
    {
        lock (_lock)
        {
            foreach (int id in Study(studyId).TrialIds)
            {
                var record = _trials[id];
                if (record.Trial.State != TrialState.Waiting) continue;
                record.Trial = record.Trial with { State = TrialState.Running, DatetimeStart = DateTime.UtcNow };
                return id;
            }
            return null;
        }
    }

    public void SetTrialParam(int trialId, string name, double internalValue, Distribution distribution)
    {
        lock (_lock)
        {
            var record = Updatable(trialId);
            CheckDistribution(_studies[record.StudyId], name, distribution);
            record.Trial = record.Trial with
            {
                InternalParams = new Dictionary<string, double>(record.Trial.InternalParams) { [name] = internalValue },
                Distributions = new Dictionary<string, Distribution>(record.Trial.Distributions) { [name] = distribution },
            };
        }
    }

    private static void CheckDistribution(StudyRecord study, string name, Distribution distribution)
    {
        if (study.Distributions.TryGetValue(name, out var recorded)) Distribution.CheckCompatibility(name, recorded, distribution);
        else study.Distributions[name] = distribution;
    }

    public bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null)
    {
        lock (_lock)
        {
            var record = Updatable(trialId);
            var trial = record.Trial;
            if (state == TrialState.Running && trial.State != TrialState.Waiting) return false;
            trial = trial with { State = state, Values = values?.ToArray() ?? trial.Values };
            if (state == TrialState.Running) trial = trial with { DatetimeStart = DateTime.UtcNow };
            if (state.IsFinished()) trial = trial with { DatetimeComplete = DateTime.UtcNow };
            record.Trial = trial;
            return true;
        }
    }

    public bool FailTrialAndQueueRetry(int trialId, string failReasonJson, FrozenTrial? retry)
    {
        lock (_lock)
        {
            var record = Trial(trialId);
            if (record.Trial.State.IsFinished()) return false;
            // The retry first: it is what may be refused (a distribution the study holds otherwise), and then nothing changes.
            if (retry is not null) CreateLocked(record.StudyId, retry);
            record.Trial = record.Trial with
            {
                State = TrialState.Fail,
                DatetimeComplete = DateTime.UtcNow,
                SystemAttrs = new Dictionary<string, string>(record.Trial.SystemAttrs) { [TrialSystemAttrs.FailReason] = failReasonJson },
            };
            return true;
        }
    }

    public void SetTrialIntermediateValue(int trialId, int step, double value)
    {
        lock (_lock)
        {
            var record = Updatable(trialId);
            record.Trial = record.Trial with { IntermediateValues = new Dictionary<int, double>(record.Trial.IntermediateValues) { [step] = value } };
        }
    }

    public void SetTrialUserAttr(int trialId, string key, string json)
    {
        lock (_lock)
        {
            var record = Updatable(trialId);
            record.Trial = record.Trial with { UserAttrs = new Dictionary<string, string>(record.Trial.UserAttrs) { [key] = json } };
        }
    }

    public void SetTrialSystemAttr(int trialId, string key, string json)
    {
        lock (_lock)
        {
            var record = Updatable(trialId);
            record.Trial = record.Trial with { SystemAttrs = new Dictionary<string, string>(record.Trial.SystemAttrs) { [key] = json } };
        }
    }

    public FrozenTrial GetTrial(int trialId)
    {
        lock (_lock) return Trial(trialId).Trial;
    }

    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null)
    {
        lock (_lock)
        {
            var result = new List<FrozenTrial>();
            foreach (int id in Study(studyId).TrialIds)
            {
                var trial = _trials[id].Trial;
                if (states is null || states.Contains(trial.State)) result.Add(trial);
            }
            return result;
        }
    }

    public int CountTrials(int studyId, IReadOnlyCollection<TrialState>? states = null)
    {
        lock (_lock) return CountLocked(studyId, states);
    }

    private int CountLocked(int studyId, IReadOnlyCollection<TrialState>? states) =>
        states is null ? Study(studyId).TrialIds.Count : Study(studyId).TrialIds.Count(id => states.Contains(_trials[id].Trial.State));

    public void RecordHeartbeat(int trialId)
    {
        lock (_lock) Trial(trialId).Heartbeat = DateTime.UtcNow;
    }

    public IReadOnlyList<int> GetStaleTrialIds(int studyId, TimeSpan gracePeriod)
    {
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            return Study(studyId).TrialIds
                .Where(id => _trials[id].Trial.State == TrialState.Running && (_trials[id].Heartbeat is DateTime beat
                    ? now - beat > gracePeriod
                    : _trials[id].Trial.DatetimeStart is DateTime start && now - start > IStudyStorage.SilentGrace(gracePeriod)))
                .ToList();
        }
    }

    public void Dispose() { }

    private StudyRecord Study(int studyId) =>
        _studies.TryGetValue(studyId, out var s) ? s : throw new KeyNotFoundException($"study id {studyId} does not exist");

    private TrialRecord Trial(int trialId) =>
        trialId >= 0 && trialId < _trials.Count && _trials[trialId] is { } r ? r : throw new KeyNotFoundException($"trial id {trialId} does not exist");

    private TrialRecord Updatable(int trialId)
    {
        var record = Trial(trialId);
        if (record.Trial.State.IsFinished())
            throw new InvalidOperationException($"trial {record.Trial.Number} is already {record.Trial.State.ToOptunaName()} and cannot be updated");
        return record;
    }
}
