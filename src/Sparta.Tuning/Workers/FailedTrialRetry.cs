using System.Text.Json;
using Sparta.Tuning.Storage;

namespace Sparta.Tuning.Workers;

/// <summary>
/// Optuna's RetryFailedTrialCallback: a trial that failed because its worker died is queued
/// again as a WAITING trial with the same parameters, distributions and attributes. The retry
/// records the first failed trial's number (<c>failed_trial</c>) and the numbers of all earlier
/// attempts (<c>retry_history</c>), so Optuna's helpers read Sparta's retries too; after
/// <see cref="WorkerOptions.MaxRetry"/> attempts the configuration is given up. A retry does not
/// count towards the study's trial budget: the failed attempt already does.
/// </summary>
public static class FailedTrialRetry
{
    /// <summary>The numbers of the earlier attempts of this configuration, oldest first.</summary>
    public static IReadOnlyList<int> History(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(TrialSystemAttrs.RetryHistory, out var json)
            ? JsonSerializer.Deserialize<int[]>(json) ?? Array.Empty<int>()
            : Array.Empty<int>();

    /// <summary>Whether a retry of <paramref name="failed"/> stays within <paramref name="maxRetry"/> attempts.</summary>
    public static bool Allows(FrozenTrial failed, int maxRetry) => History(failed).Count < maxRetry;

    /// <summary>
    /// The WAITING trial that retries <paramref name="failed"/> (failed, or being failed: <see cref="IStudyStorage.FailTrialAndQueueRetry"/>
    /// queues it in the transaction that fails the attempt): its parameters, distributions and attributes.
    /// </summary>
    public static FrozenTrial Of(FrozenTrial failed)
    {
        var history = History(failed).Append(failed.Number).ToArray();
        var attrs = failed.SystemAttrs
            .Where(a => a.Key != TrialSystemAttrs.FailReason)
            .ToDictionary(a => a.Key, a => a.Value);
        attrs[TrialSystemAttrs.FailedTrial] = history[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        attrs[TrialSystemAttrs.RetryHistory] = "[" + string.Join(", ", history) + "]";
        return new FrozenTrial
        {
            State = TrialState.Waiting,
            InternalParams = failed.InternalParams,
            Distributions = failed.Distributions,
            UserAttrs = failed.UserAttrs,
            SystemAttrs = attrs,
        };
    }
}
