namespace Sparta.Tuning.Reports;

/// <summary>A trial's state as the report names it (and as chart marks carry it in <c>data-state</c>).</summary>
public static class StateName
{
    public static string Of(TrialState state) => state switch
    {
        TrialState.Complete => "complete",
        TrialState.Pruned => "pruned",
        TrialState.Fail => "failed",
        TrialState.Running => "running",
        _ => "waiting",
    };
}
