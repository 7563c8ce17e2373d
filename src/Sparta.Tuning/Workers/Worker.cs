using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Workers;

/// <summary>
/// Runs a study's trials in this process alongside any number of other workers (threads here,
/// processes on this or other machines) sharing the study's storage. Trials are claimed
/// atomically, the budget is the study's total across workers, every running trial sends
/// heartbeats, and the trials of a worker that died are failed and retried by the survivors.
/// </summary>
public static class Worker
{
    /// <summary>
    /// Runs trials until the study holds <paramref name="maxTrialsInStudy"/> trials and none of
    /// them is still running: a worker with nothing left to start waits for the others' last
    /// trials, since one of them may yet die and need its retry run.
    /// </summary>
    public static void Optimize(Study study, Func<Trial, double> objective, int maxTrialsInStudy, WorkerOptions? options = null,
        Action<Study, FrozenTrial>? onTrialFinished = null, TextWriter? log = null) =>
        OptimizeObjectives(study, Study.Values(objective), maxTrialsInStudy, options, onTrialFinished, log);

    /// <summary>As the overload of one value, for an objective that returns one value per objective of the study.</summary>
    public static void OptimizeObjectives(Study study, Func<Trial, IReadOnlyList<double>> objective, int maxTrialsInStudy, WorkerOptions? options = null,
        Action<Study, FrozenTrial>? onTrialFinished = null, TextWriter? log = null)
    {
        options ??= new WorkerOptions();
        using var supervisor = new WorkerSupervisor(study.Storage, study.StudyId, options, log);
        while (true)
        {
            supervisor.Reap();
            int? started = null;
            try
            {
                study.OptimizeObjectives(trial =>
                {
                    started = trial.TrialId;
                    supervisor.Watch(trial.TrialId);
                    try { return objective(trial); }
                    finally { supervisor.Release(); }
                }, nTrials: 1, onTrialFinished, maxTrialsInStudy, options.Catch);
            }
            catch (InvalidOperationException) when (started is int id && study.Storage.GetTrial(id).State == TrialState.Fail)
            {
                // This worker was too slow to send its heartbeat and another one failed its trial
                // (and queued it again): the result is dropped, the retry will produce it.
                log?.WriteLine($"trial {study.Storage.GetTrial(id).Number} was failed by another worker while it ran; its retry replaces it");
            }
            if (started is not null) continue;
            if (supervisor.IsStudyDone(study.StudyId)) return;
            Thread.Sleep(options.CheckInterval);
        }
    }

    /// <summary>
    /// Runs <paramref name="workers"/> workers on threads of this process, each with its own
    /// study object (samplers hold state) from <paramref name="openStudy"/>, all on one storage.
    /// <paramref name="onTrialFinished"/> is called for one trial at a time.
    /// </summary>
    public static void OptimizeInParallel(int workers, Func<int, Study> openStudy, Func<Trial, double> objective, int maxTrialsInStudy,
        WorkerOptions? options = null, Action<Study, FrozenTrial>? onTrialFinished = null, TextWriter? log = null) =>
        OptimizeObjectivesInParallel(workers, openStudy, Study.Values(objective), maxTrialsInStudy, options, onTrialFinished, log);

    /// <summary>As the overload of one value, for an objective that returns one value per objective of the study.</summary>
    public static void OptimizeObjectivesInParallel(int workers, Func<int, Study> openStudy, Func<Trial, IReadOnlyList<double>> objective, int maxTrialsInStudy,
        WorkerOptions? options = null, Action<Study, FrozenTrial>? onTrialFinished = null, TextWriter? log = null)
    {
        if (workers < 1) throw new ArgumentException($"workers: expected at least 1, got {workers}");
        // Finished trials are reported one at a time, so the caller's output needs no locking.
        var reportLock = new object();
        Action<Study, FrozenTrial>? report = onTrialFinished is null ? null : (s, t) => { lock (reportLock) onTrialFinished(s, t); };
        var threads = new List<Thread>();
        var errors = new List<Exception>();
        for (int w = 0; w < workers; w++)
        {
            int index = w;
            var thread = new Thread(() =>
            {
                try { OptimizeObjectives(openStudy(index), objective, maxTrialsInStudy, options, report, log); }
                catch (Exception e) { lock (errors) errors.Add(e); }
            }) { Name = $"sparta worker {w}" };
            thread.Start();
            threads.Add(thread);
        }
        foreach (var thread in threads) thread.Join();
        if (errors.Count > 0) throw errors.Count == 1 ? errors[0] : new AggregateException(errors);
    }
}
