using System.Globalization;

namespace Sparta.Tuning.Output;

/// <summary>
/// The one-line summaries the slides print: <c>lr: 0.011785  reg: 0.025376  val_acc: 0.274533  (1/50)</c>
/// per finished trial, with pruned and failed trials marked, and the closing best line.
/// </summary>
public static class TrialLine
{
    public static string Format(FrozenTrial trial, int finished, int total, string valueName = "value")
    {
        var parts = trial.Params.Select(p => $"{p.Key}: {FormatValue(p.Value)}").ToList();
        switch (trial.State)
        {
            case TrialState.Complete:
                parts.Add($"{valueName}: {FormatValue(trial.Value)}");
                break;
            case TrialState.Pruned:
                parts.Add(trial.Value is double v ? $"{valueName}: {FormatValue(v)} pruned at step {trial.LastStep}" : "pruned");
                break;
            case TrialState.Fail:
                parts.Add($"failed: {FailReason(trial)}");
                break;
        }
        return $"{string.Join("  ", parts)}  ({finished}/{total})";
    }

    public static string Best(FrozenTrial best) =>
        $"best value={FormatValue(best.Value)} trial={best.Number} params: {string.Join(" ", best.Params.Select(p => $"{p.Key}={FormatValue(p.Value)}"))}";

    /// <summary>Six decimals as in the slides; scientific notation where six decimals would hide the value.</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => "none",
        double d when d != 0 && (Math.Abs(d) < 1e-3 || Math.Abs(d) >= 1e7) => d.ToString("0.######e+0", CultureInfo.InvariantCulture),
        double d => d.ToString("F6", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string FailReason(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(TrialSystemAttrs.FailReason, out var json) ? AttrJson.ReadText(json) : "unknown reason";
}
