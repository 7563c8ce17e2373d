using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Storage.Relational;

// Writing trials: creation, claiming, parameters, values, attributes.
public sealed partial class RelationalStorage
{
    public int CreateTrial(int studyId, FrozenTrial? template = null)
    {
        using var s = SqlSession.Write(_dialect);
        LockStudy(s, studyId);
        int trialId = template is null
            ? InsertTrial(s, studyId, TrialState.Running, DateTime.UtcNow, null)
            : InsertTrial(s, studyId, template.State, template.DatetimeStart, template.DatetimeComplete);
        if (template is not null) WriteTemplateContents(s, studyId, trialId, template);
        s.Commit();
        return trialId;
    }

    public int? CreateTrialWithinBudget(int studyId, int maxTrials, IReadOnlyCollection<TrialState> countedStates)
    {
        using var s = SqlSession.Write(_dialect);
        LockStudy(s, studyId);
        if (CountTowardsBudget(s, studyId, countedStates) >= maxTrials) return null;
        int trialId = InsertTrial(s, studyId, TrialState.Running, DateTime.UtcNow, null);
        s.Commit();
        return trialId;
    }

    /// <summary>
    /// The study's trials in the counted states, except retries of trials whose worker died
    /// (Optuna's failed_trial attribute): the failed attempt already counts and its retry stands
    /// in for it. Retries are found through the attribute key's index, so that part costs the
    /// number of retries, not of trials.
    /// </summary>
    private static long CountTowardsBudget(SqlSession s, int studyId, IReadOnlyCollection<TrialState> countedStates)
    {
        if (countedStates.Count == 0) return 0;
        string states = StateList(countedStates);
        long trials = s.Long($"SELECT COUNT(*) FROM trials WHERE study_id = @study AND state IN ({states})", ("@study", studyId))!.Value;
        long retries = s.Long("SELECT COUNT(*) FROM trial_system_attributes a JOIN trials t ON t.trial_id = a.trial_id " +
                              $"WHERE a.\"key\" = @retry AND t.study_id = @study AND t.state IN ({states})",
            ("@study", studyId), ("@retry", TrialSystemAttrs.FailedTrial))!.Value;
        return trials - retries;
    }

    public int? ClaimWaitingTrial(int studyId)
    {
        // Workers ask before every trial and mostly nothing waits: a plain read answers that
        // without taking the write lock the other workers need.
        using (var peek = SqlSession.Read(_dialect))
            if (peek.Long("SELECT trial_id FROM trials WHERE study_id = @study AND state = 'WAITING' LIMIT 1", ("@study", studyId)) is null)
                return null;
        using var s = SqlSession.Write(_dialect);
        // SKIP LOCKED: on PostgreSQL a worker passes over a row another worker is claiming
        // instead of queuing behind it; on SQLite the write transaction already excludes others.
        long? trialId = s.Long("SELECT trial_id FROM trials WHERE study_id = @study AND state = 'WAITING' " +
                               $"ORDER BY number LIMIT 1{_dialect.ForUpdateSkipLocked}", ("@study", studyId));
        if (trialId is null) return null;
        s.Execute($"UPDATE trials SET state = {_dialect.Enum("'RUNNING'", "trialstate")}, datetime_start = @now WHERE trial_id = @trial",
            ("@now", _dialect.DateTimeValue(DateTime.UtcNow)), ("@trial", trialId.Value));
        s.Commit();
        return (int)trialId.Value;
    }

    public void SetTrialParam(int trialId, string name, double internalValue, Distribution distribution)
    {
        using var s = SqlSession.Write(_dialect);
        int studyId = LockUpdatableTrial(s, trialId);
        WriteParam(s, studyId, trialId, name, internalValue, distribution);
        s.Commit();
    }

    public bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null)
    {
        using var s = SqlSession.Write(_dialect);
        var current = ReadTrialState(s, trialId);
        if (current.State.IsFinished()) throw TrialFinished(trialId, current.State);
        if (state == TrialState.Running && current.State != TrialState.Waiting) return false;
        if (values is not null)
            for (int objective = 0; objective < values.Count; objective++) WriteValue(s, trialId, objective, values[objective]);
        string datetimes = state == TrialState.Running ? ", datetime_start = @now" : state.IsFinished() ? ", datetime_complete = @now" : "";
        s.Execute($"UPDATE trials SET state = {_dialect.Enum("@state", "trialstate")}{datetimes} WHERE trial_id = @trial",
            ("@state", state.ToOptunaName()), ("@now", _dialect.DateTimeValue(DateTime.UtcNow)), ("@trial", trialId));
        s.Commit();
        return true;
    }

    public bool FailTrialAndQueueRetry(int trialId, string failReasonJson, FrozenTrial? retry)
    {
        using var s = SqlSession.Write(_dialect);
        // The study's lock first, then the trial's row, the order every writer that takes both keeps.
        int studyId = (int)(s.Long("SELECT study_id FROM trials WHERE trial_id = @trial", ("@trial", trialId)) ?? throw TrialNotFound(trialId));
        LockStudy(s, studyId);
        if (ReadTrialState(s, trialId).State.IsFinished()) return false;
        WriteAttr(s, "trial_system_attributes", trialId, TrialSystemAttrs.FailReason, failReasonJson);
        s.Execute($"UPDATE trials SET state = {_dialect.Enum("@state", "trialstate")}, datetime_complete = @now WHERE trial_id = @trial",
            ("@state", TrialState.Fail.ToOptunaName()), ("@now", _dialect.DateTimeValue(DateTime.UtcNow)), ("@trial", trialId));
        if (retry is not null)
        {
            int retryId = InsertTrial(s, studyId, retry.State, retry.DatetimeStart, retry.DatetimeComplete);
            WriteTemplateContents(s, studyId, retryId, retry);
        }
        s.Commit();
        return true;
    }

    public void SetTrialIntermediateValue(int trialId, int step, double value)
    {
        using var s = SqlSession.Write(_dialect);
        LockUpdatableTrial(s, trialId);
        WriteIntermediateValue(s, trialId, step, value);
        s.Commit();
    }

    public void SetTrialUserAttr(int trialId, string key, string json) => SetTrialAttr("trial_user_attributes", trialId, key, json);
    public void SetTrialSystemAttr(int trialId, string key, string json) => SetTrialAttr("trial_system_attributes", trialId, key, json);

    private void SetTrialAttr(string table, int trialId, string key, string json)
    {
        using var s = SqlSession.Write(_dialect);
        LockUpdatableTrial(s, trialId);
        WriteAttr(s, table, trialId, key, json);
        s.Commit();
    }

    /// <summary>Inserts a trial numbered after every trial of the study; the caller holds the study lock.</summary>
    private int InsertTrial(SqlSession s, int studyId, TrialState state, DateTime? start, DateTime? complete)
    {
        long number = s.Long("SELECT COUNT(*) FROM trials WHERE study_id = @study", ("@study", studyId))!.Value;
        return (int)s.Long($"INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) " +
                           $"VALUES (@number, @study, {_dialect.Enum("@state", "trialstate")}, @start, @complete) RETURNING trial_id",
            ("@number", number), ("@study", studyId), ("@state", state.ToOptunaName()),
            ("@start", start is DateTime a ? _dialect.DateTimeValue(a) : null),
            ("@complete", complete is DateTime b ? _dialect.DateTimeValue(b) : null))!.Value;
    }

    private void WriteTemplateContents(SqlSession s, int studyId, int trialId, FrozenTrial template)
    {
        if (template.Values is { } values)
            for (int objective = 0; objective < values.Count; objective++) WriteValue(s, trialId, objective, values[objective]);
        foreach (var (name, value) in template.InternalParams) WriteParam(s, studyId, trialId, name, value, template.Distributions[name]);
        foreach (var (key, json) in template.UserAttrs) WriteAttr(s, "trial_user_attributes", trialId, key, json);
        foreach (var (key, json) in template.SystemAttrs) WriteAttr(s, "trial_system_attributes", trialId, key, json);
        foreach (var (step, value) in template.IntermediateValues) WriteIntermediateValue(s, trialId, step, value);
    }

    private void WriteParam(SqlSession s, int studyId, int trialId, string name, double internalValue, Distribution distribution)
    {
        if (RecordedDistribution(s, studyId, name) is Distribution recorded) Distribution.CheckCompatibility(name, recorded, distribution);
        s.Execute("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (@trial, @name, @value, @json) " +
                  "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value = excluded.param_value, distribution_json = excluded.distribution_json",
            ("@trial", trialId), ("@name", name), ("@value", internalValue), ("@json", distribution.ToJson()));
    }

    /// <summary>The distribution some trial of the study recorded for the name, as Optuna's check reads it.</summary>
    private Distribution? RecordedDistribution(SqlSession s, int studyId, string name)
    {
        if (_recordedDistributions.TryGetValue((studyId, name), out var known)) return known;
        string? json = s.Scalar("SELECT p.distribution_json FROM trial_params p JOIN trials t ON t.trial_id = p.trial_id " +
                                "WHERE t.study_id = @study AND p.param_name = @name LIMIT 1", ("@study", studyId), ("@name", name)) as string;
        if (json is null) return null;
        return _recordedDistributions.GetOrAdd((studyId, name), ParseDistribution(json));
    }

    private void WriteValue(SqlSession s, int trialId, int objective, double value)
    {
        if (double.IsNaN(value)) throw new ArgumentException($"trial id {trialId}: objective {objective} value is NaN; a trial with a NaN value fails");
        var (stored, type) = OptunaFloat.Encode(value);
        s.Execute("INSERT INTO trial_values (trial_id, objective, value, value_type) " +
                  $"VALUES (@trial, @objective, @value, {_dialect.Enum("@type", "trialvaluetype")}) " +
                  "ON CONFLICT (trial_id, objective) DO UPDATE SET value = excluded.value, value_type = excluded.value_type",
            ("@trial", trialId), ("@objective", objective), ("@value", stored), ("@type", type));
    }

    private void WriteIntermediateValue(SqlSession s, int trialId, int step, double value)
    {
        var (stored, type) = OptunaFloat.Encode(value);
        s.Execute("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) " +
                  $"VALUES (@trial, @step, @value, {_dialect.Enum("@type", "trialintermediatevaluetype")}) " +
                  "ON CONFLICT (trial_id, step) DO UPDATE SET intermediate_value = excluded.intermediate_value, " +
                  "intermediate_value_type = excluded.intermediate_value_type",
            ("@trial", trialId), ("@step", step), ("@value", stored), ("@type", type));
    }

    private static void WriteAttr(SqlSession s, string table, int trialId, string key, string json) =>
        s.Execute($"INSERT INTO {table} (trial_id, \"key\", value_json) VALUES (@trial, @key, @json) " +
                  "ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
            ("@trial", trialId), ("@key", key), ("@json", json));

    /// <summary>Locks the trial's row and returns its study; throws when the trial is finished.</summary>
    private int LockUpdatableTrial(SqlSession s, int trialId)
    {
        var (studyId, state) = ReadTrialState(s, trialId);
        if (state.IsFinished()) throw TrialFinished(trialId, state);
        return studyId;
    }

    private (int StudyId, TrialState State) ReadTrialState(SqlSession s, int trialId)
    {
        using var r = s.Query($"SELECT study_id, {_dialect.EnumText("state")} FROM trials WHERE trial_id = @trial{_dialect.ForUpdate}", ("@trial", trialId));
        if (!r.Read()) throw TrialNotFound(trialId);
        return (r.GetInt32(0), TrialStateExtensions.ParseOptunaName(r.GetString(1)));
    }

    private static InvalidOperationException TrialFinished(int trialId, TrialState state) =>
        new($"trial id {trialId}: already finished ({state.ToOptunaName()}), it cannot change");

    /// <summary>States as SQL literals: they come from the enum, never from input.</summary>
    private static string StateList(IEnumerable<TrialState> states) => string.Join(", ", states.Select(x => $"'{x.ToOptunaName()}'"));

    private Distribution ParseDistribution(string json) => _parsedDistributions.GetOrAdd(json, Distribution.FromJson);
}
