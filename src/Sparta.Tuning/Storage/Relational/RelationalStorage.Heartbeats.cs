namespace Sparta.Tuning.Storage.Relational;

// Heartbeats in Optuna's trial_heartbeats table, stamped and compared by the database's clock so
// that workers on machines whose clocks disagree still judge each other fairly.
public sealed partial class RelationalStorage
{
    public void RecordHeartbeat(int trialId)
    {
        using var s = SqlSession.Write(_dialect);
        s.Execute($"INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@trial, {_dialect.Now}) " +
                  "ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat", ("@trial", trialId));
        s.Commit();
    }

    public IReadOnlyList<int> GetStaleTrialIds(int studyId, TimeSpan gracePeriod)
    {
        using var s = SqlSession.Read(_dialect);
        var ids = new List<int>();
        // A trial whose worker died before its first heartbeat (Optuna leaves these, and so does a
        // crash between claiming a trial and stamping it) is judged by its start instead.
        using var r = s.Query("SELECT t.trial_id FROM trials t LEFT JOIN trial_heartbeats h ON h.trial_id = t.trial_id " +
                              $"WHERE t.study_id = @study AND t.state = 'RUNNING' AND (h.heartbeat < {_dialect.SecondsAgo("@grace")} " +
                              $"OR (h.heartbeat IS NULL AND t.datetime_start < {_dialect.SecondsAgo("@silent")})) ORDER BY t.trial_id",
            ("@study", studyId), ("@grace", gracePeriod.TotalSeconds), ("@silent", IStudyStorage.SilentGrace(gracePeriod).TotalSeconds));
        while (r.Read()) ids.Add(r.GetInt32(0));
        return ids;
    }
}
