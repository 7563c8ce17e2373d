namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// What one process has read of each study: the finished trials (they never change again, so
/// they are read once), the highest trial id seen, and the ids of the trials seen unfinished
/// (they must be read again). The next read of the study asks the database only for trials
/// after the highest id and for the unfinished ones, as Optuna's cached storage does.
/// </summary>
internal sealed class FinishedTrialCache
{
    private sealed class StudyTrials
    {
        public readonly SortedDictionary<int, FrozenTrial> FinishedByNumber = new();
        public int LastTrialId;
        public readonly HashSet<int> UnfinishedIds = new();
    }

    private readonly object _lock = new();
    private readonly Dictionary<int, StudyTrials> _studies = new();
    private readonly Dictionary<int, FrozenTrial> _finishedById = new();

    public FrozenTrial? Finished(int trialId)
    {
        lock (_lock) return _finishedById.GetValueOrDefault(trialId);
    }

    /// <summary>The part of the study still to read: trials after the last id seen, and the unfinished ones.</summary>
    public (int AfterTrialId, int[] UnfinishedIds) Pending(int studyId)
    {
        lock (_lock)
        {
            var study = Study(studyId);
            return (study.LastTrialId, study.UnfinishedIds.ToArray());
        }
    }

    /// <summary>
    /// Takes in the trials just read for the pending part and returns every trial of the study
    /// (cached finished ones and the unfinished ones just read), ordered by number.
    /// </summary>
    public List<FrozenTrial> Merge(int studyId, IReadOnlyList<FrozenTrial> read)
    {
        lock (_lock)
        {
            var study = Study(studyId);
            var unfinished = new List<FrozenTrial>();
            foreach (var trial in read)
            {
                study.LastTrialId = Math.Max(study.LastTrialId, trial.TrialId);
                if (trial.State.IsFinished())
                {
                    study.UnfinishedIds.Remove(trial.TrialId);
                    study.FinishedByNumber[trial.Number] = trial;
                    _finishedById[trial.TrialId] = trial;
                }
                else if (!_finishedById.ContainsKey(trial.TrialId)) // a concurrent, newer read saw it finish
                {
                    study.UnfinishedIds.Add(trial.TrialId);
                    unfinished.Add(trial);
                }
            }
            // Both parts are in number order: merge them rather than sort the whole study.
            unfinished.Sort((a, b) => a.Number.CompareTo(b.Number));
            var all = new List<FrozenTrial>(study.FinishedByNumber.Count + unfinished.Count);
            int next = 0;
            foreach (var finished in study.FinishedByNumber.Values)
            {
                while (next < unfinished.Count && unfinished[next].Number < finished.Number) all.Add(unfinished[next++]);
                all.Add(finished);
            }
            while (next < unfinished.Count) all.Add(unfinished[next++]);
            return all;
        }
    }

    public void Forget(int studyId)
    {
        lock (_lock)
        {
            if (!_studies.Remove(studyId, out var study)) return;
            foreach (var trial in study.FinishedByNumber.Values) _finishedById.Remove(trial.TrialId);
        }
    }

    private StudyTrials Study(int studyId)
    {
        if (!_studies.TryGetValue(studyId, out var study)) _studies[studyId] = study = new StudyTrials();
        return study;
    }
}
