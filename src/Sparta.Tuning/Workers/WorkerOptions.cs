namespace Sparta.Tuning.Workers;

/// <summary>
/// How workers sharing a study watch each other. A worker stamps its running trial every
/// <see cref="HeartbeatInterval"/> and looks for dead workers' trials every half interval; a
/// RUNNING trial whose stamp is older than <see cref="GracePeriod"/> (1.5 intervals unless set)
/// is failed and retried. So a trial whose worker died is failed within two intervals of its
/// last heartbeat, while a live worker keeps half an interval of slack for a slow database.
/// </summary>
public sealed record WorkerOptions
{
    private readonly TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(10);
    private readonly TimeSpan? _gracePeriod;
    private readonly int _maxRetry = 3;

    public TimeSpan HeartbeatInterval
    {
        get => _heartbeatInterval;
        init => _heartbeatInterval = value > TimeSpan.Zero ? value
            : throw new ArgumentException($"heartbeat interval: must be positive, got {value.TotalSeconds} s");
    }

    public TimeSpan GracePeriod
    {
        get => _gracePeriod ?? HeartbeatInterval * 1.5;
        init => _gracePeriod = value > TimeSpan.Zero ? value
            : throw new ArgumentException($"grace period: must be positive, got {value.TotalSeconds} s");
    }

    /// <summary>How many times one configuration is retried after its worker died (Optuna's max_retry).</summary>
    public int MaxRetry
    {
        get => _maxRetry;
        init => _maxRetry = value >= 0 ? value : throw new ArgumentException($"max retry: must be zero or more, got {value}");
    }

    /// <summary>
    /// Exception types that fail a trial and let the study go on (<see cref="Study.Optimize(Func{Trial, double}, int, Action{Study, FrozenTrial}?, int?, IReadOnlyCollection{Type}?)"/>'s
    /// catchExceptions); any other exception fails the trial and stops the worker.
    /// </summary>
    public IReadOnlyCollection<Type> Catch { get; init; } = [];

    /// <summary>How often a worker looks for trials whose worker died.</summary>
    internal TimeSpan CheckInterval => HeartbeatInterval / 2;
}
