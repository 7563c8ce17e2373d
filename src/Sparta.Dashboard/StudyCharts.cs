using Sparta.Charts;
using Sparta.Tuning;
using Sparta.Tuning.Reports;

namespace Sparta.Dashboard;

/// <summary>A study's charts, drawn on the server: its optimization history and one trial's intermediate values.</summary>
internal static class StudyCharts
{
    /// <summary>Optuna's optimization history: each complete trial's value, and the best value so far.</summary>
    public static string History(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        var history = OptimizationHistory.Of(trials, study.Direction);
        return new XYChart($"{study.Name}: optimization history", "trial", StudySystemAttrs.MetricName(study))
            .Scatter("objective value", history.Select(p => new ScatterPoint(p.Number, p.Value, Trial: p.Number)))
            .Line("best value", history.Select(p => ((double)p.Number, p.BestSoFar)), markers: false)
            .ToSvg();
    }

    /// <summary>The values a trial reported step by step: its learning curve when the objective trains a network.</summary>
    public static string IntermediateValues(Study study, FrozenTrial trial)
    {
        var points = IntermediateSeries.Of([trial]).SingleOrDefault()?.Points ?? [];
        return new XYChart($"trial {trial.Number} ({trial.State.ToOptunaName().ToLowerInvariant()}): intermediate values", "step", StudySystemAttrs.MetricName(study))
            .Line($"trial {trial.Number}", points.Select(p => ((double)p.Step, p.Value)), markers: true)
            .ToSvg();
    }
}
