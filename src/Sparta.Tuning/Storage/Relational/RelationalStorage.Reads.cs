using System.Globalization;

namespace Sparta.Tuning.Storage.Relational;

// Reading trials: whole trials with their parameters, values, attributes and intermediate values.
public sealed partial class RelationalStorage
{
    public FrozenTrial GetTrial(int trialId)
    {
        if (_finished.Finished(trialId) is FrozenTrial cached) return cached;
        using var s = SqlSession.Read(_dialect);
        return ReadTrials(s, "t.trial_id = @trial", null, ("@trial", trialId)).SingleOrDefault() ?? throw TrialNotFound(trialId);
    }

    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null)
    {
        var (after, unfinished) = _finished.Pending(studyId);
        List<FrozenTrial> read;
        using (var s = SqlSession.Read(_dialect))
        {
            if (s.Long("SELECT study_id FROM studies WHERE study_id = @study", ("@study", studyId)) is null) throw StudyNotFound(studyId);
            // Two index ranges of the trials table: the trials after the last one seen, and the
            // ones seen unfinished (their ids come from the database, so listing them is safe).
            string where = "t.study_id = @study AND t.trial_id > @after";
            if (unfinished.Length > 0) where = $"({where}) OR (t.study_id = @study AND t.trial_id IN ({IdList(unfinished)}))";
            // A caller asking for finished trials only (a sampler) gets no unfinished one: those
            // are read bare, enough for the cache to know to read them again.
            bool finishedOnly = states is not null && states.All(TrialStateExtensions.IsFinished);
            read = ReadTrials(s, where, finishedOnly ? TrialStateExtensions.IsFinished : null, ("@study", studyId), ("@after", after));
        }
        var all = _finished.Merge(studyId, read);
        return states is null ? all : all.Where(t => states.Contains(t.State)).ToList();
    }

    public int CountTrials(int studyId, IReadOnlyCollection<TrialState>? states = null)
    {
        using var s = SqlSession.Read(_dialect);
        if (s.Long("SELECT study_id FROM studies WHERE study_id = @study", ("@study", studyId)) is null) throw StudyNotFound(studyId);
        string filter = states is null ? "" : states.Count == 0 ? " AND 1 = 0" : $" AND state IN ({StateList(states)})";
        return (int)s.Long($"SELECT COUNT(*) FROM trials WHERE study_id = @study{filter}", ("@study", studyId))!.Value;
    }

    /// <summary>
    /// Reads the trials matching <paramref name="where"/> (over <c>trials t</c>), then their
    /// parameters, values, attributes and intermediate values by trial id: each child table is
    /// read through its (trial_id, ...) index for exactly these trials, in one query per table.
    /// With <paramref name="withContents"/>, only trials in the states it accepts get their
    /// child rows; the others come back bare (number and state).
    /// </summary>
    private List<FrozenTrial> ReadTrials(SqlSession s, string where, Func<TrialState, bool>? withContents, params (string, object?)[] parameters)
    {
        var trials = new Dictionary<int, TrialBuilder>();
        using (var r = s.Query($"SELECT t.trial_id, t.number, {_dialect.EnumText("t.state")}, t.datetime_start, t.datetime_complete FROM trials t WHERE {where}", parameters))
            while (r.Read())
                trials[r.GetInt32(0)] = new TrialBuilder
                {
                    TrialId = r.GetInt32(0),
                    Number = r.GetInt32(1),
                    State = TrialStateExtensions.ParseOptunaName(r.GetString(2)),
                    DatetimeStart = r.IsDBNull(3) ? null : _dialect.ReadDateTime(r, 3),
                    DatetimeComplete = r.IsDBNull(4) ? null : _dialect.ReadDateTime(r, 4),
                };
        var filled = withContents is null ? trials.Keys.ToList() : trials.Values.Where(t => withContents(t.State)).Select(t => t.TrialId).ToList();
        if (filled.Count == 0) return trials.Values.Select(b => b.Build()).OrderBy(t => t.Number).ToList();
        string ids = $"trial_id IN ({IdList(filled)})";

        using (var r = s.Query($"SELECT trial_id, objective, value, {_dialect.EnumText("value_type")} FROM trial_values WHERE {ids}"))
            while (r.Read())
                trials[r.GetInt32(0)].Values[r.GetInt32(1)] = OptunaFloat.Decode(r.IsDBNull(2) ? null : r.GetDouble(2), r.GetString(3));

        using (var r = s.Query($"SELECT trial_id, param_name, param_value, distribution_json FROM trial_params WHERE {ids} ORDER BY param_id"))
            while (r.Read())
            {
                var trial = trials[r.GetInt32(0)];
                string name = r.GetString(1);
                trial.Params[name] = r.GetDouble(2);
                trial.Distributions[name] = ParseDistribution(r.GetString(3));
            }

        using (var r = s.Query($"SELECT trial_id, step, intermediate_value, {_dialect.EnumText("intermediate_value_type")} FROM trial_intermediate_values WHERE {ids}"))
            while (r.Read())
                trials[r.GetInt32(0)].IntermediateValues[r.GetInt32(1)] = OptunaFloat.Decode(r.IsDBNull(2) ? null : r.GetDouble(2), r.GetString(3));

        foreach (var (table, user) in new[] { ("trial_user_attributes", true), ("trial_system_attributes", false) })
        {
            using var r = s.Query($"SELECT trial_id, \"key\", value_json FROM {table} WHERE {ids}");
            while (r.Read())
            {
                var trial = trials[r.GetInt32(0)];
                (user ? trial.UserAttrs : trial.SystemAttrs)[r.GetString(1)] = r.GetString(2);
            }
        }
        return trials.Values.Select(b => b.Build()).OrderBy(t => t.Number).ToList();
    }

    /// <summary>Trial ids as an SQL list: integers read from the database, never user text.</summary>
    private static string IdList(IEnumerable<int> ids) => string.Join(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));

    private sealed class TrialBuilder
    {
        public int TrialId, Number;
        public TrialState State;
        public DateTime? DatetimeStart, DatetimeComplete;
        public readonly SortedDictionary<int, double> Values = new();
        public readonly Dictionary<string, double> Params = new();
        public readonly Dictionary<string, Distributions.Distribution> Distributions = new();
        public readonly Dictionary<int, double> IntermediateValues = new();
        public readonly Dictionary<string, string> UserAttrs = new(), SystemAttrs = new();

        public FrozenTrial Build() => new()
        {
            TrialId = TrialId,
            Number = Number,
            State = State,
            Values = Values.Count == 0 ? null : Values.Values.ToArray(),
            DatetimeStart = DatetimeStart,
            DatetimeComplete = DatetimeComplete,
            InternalParams = Params,
            Distributions = Distributions,
            UserAttrs = UserAttrs,
            SystemAttrs = SystemAttrs,
            IntermediateValues = IntermediateValues,
        };
    }
}
