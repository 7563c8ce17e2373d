using System.Collections.Concurrent;
using Sparta.Tuning;
using Sparta.Tuning.Reports;

namespace Sparta.Dashboard;

/// <summary>
/// Parameter importance by study, fitted in the background: fANOVA's forest over thousands of
/// trials takes far longer than a page may wait, and its answer depends on the complete trials
/// alone. A request gets the importance of the current complete trials when it is ready (a small
/// study's is, within a moment), otherwise the last one fitted, marked as not current, while the
/// new fit runs; one fit at a time per study.
/// </summary>
internal sealed class ImportanceCache
{
    /// <summary>How long a request waits for a fit before it is answered with the last one.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(200);

    /// <summary>The importance of a study's complete trials, or the last one fitted while those are being rated (Current false; null before any).</summary>
    public sealed record Rating(IReadOnlyList<(string Name, double Importance)>? Importance, bool Current, int CompleteTrials);

    private sealed class Entry
    {
        public int Key;
        public IReadOnlyList<(string, double)>? Importance;
        public Task? Fitting;
        public int FittingKey;
    }

    private readonly ConcurrentDictionary<string, Entry> _studies = new(StringComparer.Ordinal);

    public Rating Of(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        // The complete trials' numbers and values: whatever else changes (a trial starts, one is pruned) leaves importance as it is.
        var hash = new HashCode();
        int complete = 0;
        foreach (var trial in trials.Where(t => t.State == TrialState.Complete))
        {
            hash.Add(trial.Number);
            hash.Add(trial.Value);
            complete++;
        }
        int key = hash.ToHashCode();
        var entry = _studies.GetOrAdd(study.Name, _ => new Entry());
        Task fitting;
        lock (entry)
        {
            if (entry.Importance is not null && entry.Key == key) return new Rating(entry.Importance, true, complete);
            if (entry.Fitting is null || entry.Fitting.IsCompleted && entry.FittingKey != key)
            {
                entry.FittingKey = key;
                entry.Fitting = Task.Run(() =>
                {
                    var importance = StudyReportData.RateImportance(trials, study.Seed);
                    lock (entry) (entry.Key, entry.Importance) = (key, importance);
                });
            }
            fitting = entry.Fitting;
        }
        if (fitting.Wait(Patience) && entry.Key == key) return new Rating(entry.Importance, true, complete);
        lock (entry) return new Rating(entry.Importance, entry.Importance is not null && entry.Key == key, complete);
    }
}
