using System.Collections.Concurrent;
using System.Data.Common;
using Sparta.Tuning.Distributions;

namespace Sparta.Tuning.Storage.Relational;

/// <summary>
/// A study storage in a relational database (SQLite or PostgreSQL) laid out as Optuna's schema,
/// so Optuna opens Sparta's studies and Sparta continues Optuna's. Any number of processes on
/// any number of machines may share one database: every call is one short transaction, trial
/// numbers are assigned under a per-study lock, and WAITING trials are claimed atomically.
/// Finished trials never change, so each process reads a finished trial once and keeps it
/// (<see cref="FinishedTrialCache"/>): reading a study costs the trials that changed, not the study.
/// </summary>
public sealed partial class RelationalStorage : IStudyStorage
{
    private readonly SqlDialect _dialect;
    private readonly FinishedTrialCache _finished = new();
    // The distribution each parameter name was first recorded with in a study: the compatibility
    // check reads it once per name instead of once per suggestion.
    private readonly ConcurrentDictionary<(int StudyId, string Name), Distribution> _recordedDistributions = new();
    private readonly ConcurrentDictionary<string, Distribution> _parsedDistributions = new();

    internal RelationalStorage(SqlDialect dialect)
    {
        _dialect = dialect;
        try
        {
            using var connection = dialect.Open();
            SqlSession.Translate(dialect, () =>
            {
                if (dialect.ReadOnly) OptunaSchema.Check(connection, dialect);
                else OptunaSchema.Ensure(connection, dialect);
                return 0;
            });
        }
        catch
        {
            dialect.Dispose();
            throw;
        }
    }

    /// <summary>The storage URL, password masked.</summary>
    public string Url => _dialect.MaskedUrl;

    public override string ToString() => Url;

    public void Dispose() => _dialect.Dispose();

    // ---- studies ----

    public int CreateStudy(string name, IReadOnlyList<StudyDirection> directions)
    {
        if (directions.Count == 0) throw new ArgumentException($"study '{name}': needs at least one objective direction");
        try
        {
            using var s = SqlSession.Write(_dialect);
            if (s.Long("SELECT study_id FROM studies WHERE study_name = @name", ("@name", name)) is not null)
                throw new DuplicateStudyException(name);
            int studyId = (int)s.Long("INSERT INTO studies (study_name) VALUES (@name) RETURNING study_id", ("@name", name))!.Value;
            for (int objective = 0; objective < directions.Count; objective++)
                s.Execute($"INSERT INTO study_directions (direction, study_id, objective) VALUES ({_dialect.Enum("@direction", "studydirection")}, @study, @objective)",
                    ("@direction", directions[objective].ToOptunaName()), ("@study", studyId), ("@objective", objective));
            s.Commit();
            return studyId;
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            throw new DuplicateStudyException(name);
        }
    }

    public StudyInfo? FindStudy(string name)
    {
        using var s = SqlSession.Read(_dialect);
        return s.Long("SELECT study_id FROM studies WHERE study_name = @name", ("@name", name)) is long id
            ? ReadStudies(s, "WHERE s.study_id = @study", ("@study", (int)id)).SingleOrDefault()
            : null;
    }

    public StudyInfo GetStudy(int studyId)
    {
        using var s = SqlSession.Read(_dialect);
        return ReadStudies(s, "WHERE s.study_id = @study", ("@study", studyId)).SingleOrDefault() ?? throw StudyNotFound(studyId);
    }

    public IReadOnlyList<StudyInfo> GetAllStudies()
    {
        using var s = SqlSession.Read(_dialect);
        return ReadStudies(s, "");
    }

    public void DeleteStudy(int studyId)
    {
        using var s = SqlSession.Write(_dialect);
        LockStudy(s, studyId);
        const string trialsOfStudy = "trial_id IN (SELECT trial_id FROM trials WHERE study_id = @study)";
        foreach (string table in new[] { "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes", "trial_system_attributes", "trial_heartbeats" })
            s.Execute($"DELETE FROM {table} WHERE {trialsOfStudy}", ("@study", studyId));
        foreach (string table in new[] { "trials", "study_directions", "study_user_attributes", "study_system_attributes", "studies" })
            s.Execute($"DELETE FROM {table} WHERE study_id = @study", ("@study", studyId));
        s.Commit();
        _finished.Forget(studyId);
        foreach (var key in _recordedDistributions.Keys.Where(k => k.StudyId == studyId)) _recordedDistributions.TryRemove(key, out _);
    }

    public void SetStudyUserAttr(int studyId, string key, string json) => SetStudyAttr("study_user_attributes", studyId, key, json);
    public void SetStudySystemAttr(int studyId, string key, string json) => SetStudyAttr("study_system_attributes", studyId, key, json);
    public IReadOnlyDictionary<string, string> GetStudyUserAttrs(int studyId) => GetStudyAttrs("study_user_attributes", studyId);
    public IReadOnlyDictionary<string, string> GetStudySystemAttrs(int studyId) => GetStudyAttrs("study_system_attributes", studyId);

    private void SetStudyAttr(string table, int studyId, string key, string json)
    {
        using var s = SqlSession.Write(_dialect);
        LockStudy(s, studyId);
        s.Execute($"INSERT INTO {table} (study_id, \"key\", value_json) VALUES (@study, @key, @json) " +
                  "ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json = excluded.value_json",
            ("@study", studyId), ("@key", key), ("@json", json));
        s.Commit();
    }

    private IReadOnlyDictionary<string, string> GetStudyAttrs(string table, int studyId)
    {
        using var s = SqlSession.Read(_dialect);
        if (s.Long("SELECT study_id FROM studies WHERE study_id = @study", ("@study", studyId)) is null) throw StudyNotFound(studyId);
        var attrs = new Dictionary<string, string>();
        using var r = s.Query($"SELECT \"key\", value_json FROM {table} WHERE study_id = @study", ("@study", studyId));
        while (r.Read()) attrs[r.GetString(0)] = r.GetString(1);
        return attrs;
    }

    private List<StudyInfo> ReadStudies(SqlSession s, string where, params (string, object?)[] parameters)
    {
        var studies = new List<(int Id, string Name, SortedDictionary<int, StudyDirection> Directions)>();
        using (var r = s.Query($"SELECT s.study_id, s.study_name, d.objective, {_dialect.EnumText("d.direction")} FROM studies s " +
                               $"LEFT JOIN study_directions d ON d.study_id = s.study_id {where} ORDER BY s.study_id", parameters))
        {
            while (r.Read())
            {
                int id = r.GetInt32(0);
                if (studies.Count == 0 || studies[^1].Id != id) studies.Add((id, r.GetString(1), new SortedDictionary<int, StudyDirection>()));
                if (!r.IsDBNull(2)) studies[^1].Directions[r.GetInt32(2)] = StudyDirectionExtensions.ParseOptunaName(r.GetString(3));
            }
        }
        return studies.Select(x => new StudyInfo(x.Id, x.Name, x.Directions.Values.ToList())).ToList();
    }

    /// <summary>
    /// Locks the study row for the rest of the transaction. Trial numbers are counts of the
    /// study's trials, so two writers creating trials of one study must take turns.
    /// </summary>
    private void LockStudy(SqlSession s, int studyId)
    {
        if (s.Long($"SELECT study_id FROM studies WHERE study_id = @study{_dialect.ForUpdate}", ("@study", studyId)) is null)
            throw StudyNotFound(studyId);
    }

    private static KeyNotFoundException StudyNotFound(int studyId) => new($"study id {studyId}: no such study in the storage");
    private static KeyNotFoundException TrialNotFound(int trialId) => new($"trial id {trialId}: no such trial in the storage");
}
