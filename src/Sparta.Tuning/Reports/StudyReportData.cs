using Sparta.Tuning.Importance;

namespace Sparta.Tuning.Reports;

/// <summary>
/// Everything a study's report shows, computed from its trials: the trials themselves (the
/// table), the optimization history, parallel coordinates, one slice per parameter, parameter
/// importance (empty until two trials are complete) and each trial's intermediate values.
/// </summary>
public sealed record StudyReportData(
    string StudyName,
    StudyDirection Direction,
    string ValueName,
    IReadOnlyList<FrozenTrial> Trials,
    FrozenTrial? Best,
    IReadOnlyList<HistoryPoint> History,
    ParallelCoordinatesData Parallel,
    IReadOnlyList<SliceSeries> Slices,
    IReadOnlyList<(string Name, double Importance)> Importance,
    IReadOnlyList<IntermediateSeries> Intermediates)
{
    /// <summary>Each objective's direction (one for most studies).</summary>
    public IReadOnlyList<StudyDirection> Directions { get; init; } = [Direction];
    /// <summary>Each objective's name; <see cref="ValueName"/> is the first.</summary>
    public IReadOnlyList<string> ObjectiveNames { get; init; } = [ValueName];
    /// <summary>For several objectives, every complete trial's values and whether it is on the Pareto front; empty otherwise.</summary>
    public IReadOnlyList<ParetoPoint> Pareto { get; init; } = [];
    public bool IsMultiObjective => Directions.Count > 1;

    public static StudyReportData Of(Study study)
    {
        var trials = study.Trials;
        var history = OptimizationHistory.Of(trials, study.Direction);
        // The first trial to reach the best value, as Study.BestTrial picks it.
        var best = history.Count == 0 ? null : trials.First(t => t.Number == history.First(p => p.Value == history[^1].BestSoFar).Number);
        var names = StudySystemAttrs.ObjectiveNames(study);
        return new StudyReportData(study.Name, study.Direction, names[0], trials, best, history,
            ParallelCoordinatesData.Of(trials), SliceSeries.Of(trials), RateImportance(trials, study.Seed), IntermediateSeries.Of(trials))
        {
            Directions = study.Directions,
            ObjectiveNames = names,
            Pareto = study.IsMultiObjective ? ParetoFront.Of(trials, study.Directions) : [],
        };
    }

    /// <summary>fANOVA's importance of each parameter, empty until two trials are complete.</summary>
    public static IReadOnlyList<(string Name, double Importance)> RateImportance(IReadOnlyList<FrozenTrial> trials, ulong seed) =>
        OptimizationHistory.Complete(trials).Take(2).Count() < 2 ? [] : FanovaImportance.Evaluate(trials, seed);
}
