namespace Sparta.Tuning;

/// <summary>A trial's life cycle, with Optuna's names and numbers (they are stored as such).</summary>
public enum TrialState
{
    Running = 0,
    Complete = 1,
    Pruned = 2,
    Fail = 3,
    /// <summary>Queued (enqueued by hand, or a retry of a failed trial) and not yet claimed by a worker.</summary>
    Waiting = 4,
}

public static class TrialStateExtensions
{
    public static bool IsFinished(this TrialState state) => state is TrialState.Complete or TrialState.Pruned or TrialState.Fail;

    /// <summary>Optuna's upper-case name (RUNNING, COMPLETE, ...), as its relational schema stores it.</summary>
    public static string ToOptunaName(this TrialState state) => state.ToString().ToUpperInvariant();

    public static TrialState ParseOptunaName(string name) => name switch
    {
        "RUNNING" => TrialState.Running,
        "COMPLETE" => TrialState.Complete,
        "PRUNED" => TrialState.Pruned,
        "FAIL" => TrialState.Fail,
        "WAITING" => TrialState.Waiting,
        _ => throw new FormatException($"trial state: unknown state '{name}'"),
    };
}
