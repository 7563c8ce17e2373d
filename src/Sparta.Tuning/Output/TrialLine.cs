using System.Globalization;
using Sparta.Tuning.Experiments;

namespace Sparta.Tuning.Output;

/// <summary>
/// The one-line summaries the slides print: <c>lr: 0.011785  reg: 0.025376  val_acc: 0.274533  (1/50)</c>
/// per finished trial, with pruned and failed trials marked, and the closing best line.
/// </summary>
public static class TrialLine
{
    public static string Format(FrozenTrial trial, int finished, int total, string valueName = "value") =>
        Format(trial, finished, total, [valueName]);

    /// <summary>The line of a trial of one objective or several, each value under its name.</summary>
    public static string Format(FrozenTrial trial, int finished, int total, IReadOnlyList<string> valueNames)
    {
        var parts = trial.Params.Select(p => $"{p.Key}: {FormatValue(p.Value)}").ToList();
        string valueName = valueNames[0];
        switch (trial.State)
        {
            case TrialState.Complete:
                parts.Add(Values(trial, valueNames, ": ", "  "));
                if (TrialConstraints.Of(trial) is { } constraints && !TrialConstraints.Feasible(constraints))
                    parts.Add($"infeasible (violation {FormatValue(TrialConstraints.Violation(constraints))})");
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
        $"best value={FormatValue(best.Value)} trial={best.Number} params: {Params(best)}";

    /// <summary>
    /// A study of several objectives has no best trial but a Pareto front: one line per trial on it,
    /// <c>pareto trial=12 val_accuracy=0.861000 parameters=25450 params: ...</c>, after a line that counts them.
    /// </summary>
    public static IEnumerable<string> ParetoFront(IReadOnlyList<FrozenTrial> front, IReadOnlyList<string> valueNames)
    {
        yield return $"pareto front: {front.Count} trial{(front.Count == 1 ? "" : "s")} no other trial beats on every objective";
        foreach (var trial in front)
            yield return $"pareto trial={trial.Number} {Values(trial, valueNames, "=", " ")} params: {Params(trial)}";
    }

    private static string Values(FrozenTrial trial, IReadOnlyList<string> names, string separator, string between) =>
        string.Join(between, trial.Values!.Select((v, i) => i < names.Count ? $"{names[i]}{separator}{FormatMeasure(names[i], v)}" : $"values_{i}{separator}{FormatValue(v)}"));

    private static string Params(FrozenTrial trial) => string.Join(" ", trial.Params.Select(p => $"{p.Key}={FormatValue(p.Value)}"));

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

    /// <summary>
    /// An objective's value under its name: a count (<c>parameters</c>) is stored as a double, as every
    /// objective value is, but printed as the whole number it is (<c>parameters: 39760</c>).
    /// </summary>
    public static string FormatMeasure(string name, double value) =>
        RunMeasures.IsCount(name) && value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : FormatValue(value);

    private static string FailReason(FrozenTrial trial) =>
        trial.SystemAttrs.TryGetValue(TrialSystemAttrs.FailReason, out var json) ? AttrJson.ReadText(json) : "unknown reason";
}
