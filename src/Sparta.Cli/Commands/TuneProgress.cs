using System.Globalization;
using Sparta.Terminal;
using Sparta.Tuning;
using Sparta.Tuning.Output;

namespace Sparta.Cli.Commands;

/// <summary>
/// The trial lines of <c>sparta tune</c>: one line per finished trial, numbered (k/N) by its place
/// among all the finished trials of the study in the order they finished, whichever process ran
/// them, so the workers sharing a study print one sequence and a resumed study counts on. On a
/// terminal outside CI a bar stays under the last line with the count and the best value so
/// far; redirected output and CI logs get the plain lines only.
/// </summary>
public sealed class TuneProgress
{
    private const int BarWidth = 30;
    private static readonly TrialState[] Finished = { TrialState.Complete, TrialState.Pruned, TrialState.Fail };
    private readonly TextWriter _output;
    private readonly int _budget;
    private readonly bool _bar;
    private readonly string _valueName;

    /// <param name="bar">Draw the bar; by default when <paramref name="output"/> is an interactive console.</param>
    public TuneProgress(TextWriter output, int budget, string valueName = "value", bool? bar = null)
    {
        _valueName = valueName;
        _output = output;
        _budget = budget;
        _bar = bar ?? ProgressDisplay.IsInteractive(output);
    }

    /// <summary>Called for one finished trial at a time (the workers serialize the calls).</summary>
    public void Report(Study study, FrozenTrial trial)
    {
        var finished = study.GetTrials(Finished);
        if (_bar) _output.Write(ProgressDisplay.ClearLine);
        _output.WriteLine(TrialLine.Format(trial, PlaceAmongFinished(finished, trial), _budget, _valueName));
        if (_bar) _output.Write(BarLine(finished.Count, _budget, Best(study.Direction, finished), _valueName));
        _output.Flush();
    }

    /// <summary>Removes the bar before the closing lines.</summary>
    public void Finish()
    {
        if (_bar) _output.Write(ProgressDisplay.ClearLine);
    }

    /// <summary>
    /// 1 + the number of other finished trials that finished before <paramref name="trial"/>
    /// (by completion time, then number): the same place whichever process asks.
    /// </summary>
    public static int PlaceAmongFinished(IEnumerable<FrozenTrial> finished, FrozenTrial trial)
    {
        var key = (trial.DatetimeComplete ?? DateTime.MaxValue, trial.Number);
        return 1 + finished.Count(t => t.Number != trial.Number && (t.DatetimeComplete ?? DateTime.MaxValue, t.Number).CompareTo(key) < 0);
    }

    /// <summary>The bar under the trial lines: <c>[#####.....] 12/50 best val_accuracy: 0.812000</c>.</summary>
    public static string BarLine(int finished, int budget, double? best, string valueName) =>
        string.Create(CultureInfo.InvariantCulture, $"{ProgressDisplay.Bar(finished, budget, BarWidth, '#')} {finished}/{budget}") +
        (best is double value ? $" best {valueName}: {TrialLine.FormatValue(value)}" : "");

    private static double? Best(StudyDirection direction, IEnumerable<FrozenTrial> finished)
    {
        double? best = null;
        foreach (var t in finished)
            if (t.State == TrialState.Complete && t.Value is double v && (best is null || direction.IsBetter(v, best.Value))) best = v;
        return best;
    }
}
