using Sparta.Diagnostics;
using Sparta.Tuning;

namespace Sparta.Dashboard;

/// <summary>The charts of a study: its optimization history and a trial's intermediate values.</summary>
internal static class StudyCharts
{
    public static string History(string study, StudyDirection direction, IReadOnlyList<FrozenTrial> trials)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null).Select(t => ((double)t.Number, t.Value!.Value)).ToArray();
        return new SvgChart($"{study}: optimization history", "trial", "value").Line("value", complete).ToSvg();
    }

    public static string IntermediateValues(FrozenTrial trial) =>
        new SvgChart($"trial {trial.Number}: intermediate values", "step", "value")
            .Line("value", trial.IntermediateValues.OrderBy(v => v.Key).Select(v => ((double)v.Key, v.Value)).ToArray()).ToSvg();
}
