namespace Sparta.Tuning;

/// <summary>
/// Keys of the system attributes Sparta writes on trials. Where Optuna has a key for the same
/// thing, it is Optuna's, so each tool understands the other's trials.
/// </summary>
public static class TrialSystemAttrs
{
    /// <summary>The trial's random seed, derived from the study seed and the trial number.</summary>
    public const string Seed = "sparta:seed";
    /// <summary>Why a trial failed: the exception message, or the non-finite value returned.</summary>
    public const string FailReason = "fail_reason";
    /// <summary>Optuna's key for an enqueued trial's given parameters (name -> external value).</summary>
    public const string FixedParams = "fixed_params";
    /// <summary>Optuna's key (RetryFailedTrialCallback) for the number of the failed trial a retry repeats.</summary>
    public const string FailedTrial = "failed_trial";
    /// <summary>Optuna's key for the numbers of all earlier attempts of a retried trial.</summary>
    public const string RetryHistory = "retry_history";

    /// <summary>
    /// The number of the trial's first attempt: its own, or for a retry the failed trial's it
    /// repeats. Samplers draw from the stream of this number, so a retry is a rerun of the same draw.
    /// </summary>
    public static int FirstAttempt(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(FailedTrial, out var number) ? int.Parse(number, System.Globalization.CultureInfo.InvariantCulture) : trial.Number;
}
