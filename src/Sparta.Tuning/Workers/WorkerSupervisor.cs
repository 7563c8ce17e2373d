using System.Diagnostics;
using System.Data.Common;
using System.Text.Json;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Workers;

/// <summary>
/// The background side of one worker: stamps the heartbeat of the trial the worker is running
/// and, every half interval, fails and retries the trials of dead workers. It runs on a thread of
/// its own rather than a thread-pool timer: training keeps the pool busy, and a heartbeat that
/// waits for a pool thread would get a live trial taken for dead.
/// </summary>
internal sealed class WorkerSupervisor : IDisposable
{
    private readonly IStudyStorage _storage;
    private readonly WorkerOptions _options;
    private readonly StaleTrialReaper _reaper;
    private readonly TextWriter? _log;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly object _lock = new();
    private readonly object _reapLock = new();
    private readonly Stopwatch _sinceHeartbeat = new();
    private int? _watched;

    public WorkerSupervisor(IStudyStorage storage, int studyId, WorkerOptions options, TextWriter? log)
    {
        _storage = storage;
        _options = options;
        _reaper = new StaleTrialReaper(storage, studyId, options);
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "sparta worker heartbeat" };
        _thread.Start();
    }

    /// <summary>Starts the heartbeats of a trial this worker now runs, the first one at once.</summary>
    public void Watch(int trialId)
    {
        _storage.RecordHeartbeat(trialId);
        lock (_lock)
        {
            _watched = trialId;
            _sinceHeartbeat.Restart();
        }
    }

    public void Release()
    {
        lock (_lock) _watched = null;
    }

    /// <summary>Fails and retries dead workers' trials now (the worker also does it between trials).</summary>
    public void Reap()
    {
        // One reap at a time: failing a trial and queueing its retry are two transactions, and
        // IsStudyDone must not look between them.
        lock (_reapLock)
            foreach (var trial in _reaper.FailStaleTrials())
                _log?.WriteLine($"trial {trial.Number} failed: {JsonSerializer.Deserialize<string>(trial.SystemAttrs[TrialSystemAttrs.FailReason])}");
    }

    /// <summary>
    /// Whether no trial of the study runs or waits any more, so nothing is left for this worker.
    /// A worker dying now leaves its retry to a survivor, which is still at work.
    /// </summary>
    public bool IsStudyDone(int studyId)
    {
        lock (_reapLock) return _storage.CountTrials(studyId, new[] { TrialState.Running, TrialState.Waiting }) == 0;
    }

    private void Run()
    {
        while (!_stop.Wait(_options.CheckInterval))
        {
            try
            {
                int? due;
                lock (_lock) due = _watched is int id && _sinceHeartbeat.Elapsed >= _options.HeartbeatInterval - _options.CheckInterval / 2 ? id : null;
                if (due is int trialId)
                {
                    _storage.RecordHeartbeat(trialId);
                    lock (_lock) _sinceHeartbeat.Restart();
                }
                Reap();
            }
            catch (Exception e) when (e is DbException or IOException or InvalidOperationException or TimeoutException)
            {
                // A database hiccup must not end the worker: the next tick tries again.
                _log?.WriteLine($"heartbeat: {e.Message}");
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
