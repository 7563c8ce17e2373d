using System.Collections.Concurrent;
using Sparta.Tuning;
using Sparta.Tuning.Reports;

namespace Sparta.Dashboard;

/// <summary>
/// Parameter importance by study, kept while the study's complete trials stay the same: fitting
/// fANOVA's forest is the one chart too slow to redo at every refresh of a large study, and its
/// answer depends on the complete trials alone.
/// </summary>
internal sealed class ImportanceCache
{
    private readonly ConcurrentDictionary<string, (int Key, IReadOnlyList<(string, double)> Importance)> _rated = new(StringComparer.Ordinal);

    public IReadOnlyList<(string Name, double Importance)> Of(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        // The complete trials' numbers and values: whatever else changes (a trial starts, one is pruned) leaves importance as it is.
        var key = new HashCode();
        foreach (var trial in trials.Where(t => t.State == TrialState.Complete))
        {
            key.Add(trial.Number);
            key.Add(trial.Value);
        }
        int hash = key.ToHashCode();
        if (_rated.TryGetValue(study.Name, out var cached) && cached.Key == hash) return cached.Importance;
        var importance = StudyReportData.RateImportance(trials, study.Seed);
        _rated[study.Name] = (hash, importance);
        return importance;
    }
}
