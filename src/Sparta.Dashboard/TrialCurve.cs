using Sparta.Charts;
using Sparta.Tuning;
using Sparta.Tuning.Reports;

namespace Sparta.Dashboard;

/// <summary>One trial's intermediate values by step, with a dot per report: its learning curve when the objective trains a network.</summary>
internal static class TrialCurve
{
    public static XYChart Chart(Study study, FrozenTrial trial)
    {
        var points = IntermediateSeries.Of([trial]).SingleOrDefault()?.Points ?? [];
        return new XYChart($"trial {trial.Number} ({StateName.Of(trial.State)}): intermediate values", "step", StudySystemAttrs.MetricName(study))
            .Line($"trial {trial.Number}", points.Select(p => ((double)p.Step, p.Value)), markers: true);
    }
}
