using System.Globalization;
using Sparta.Terminal;
using Sparta.Tuning;
using Sparta.Tuning.Output;

namespace Sparta.Cli.Commands;

/// <summary>
/// The trial lines of <c>sparta tune</c>: one line per finished trial, numbered (k/N) against the
/// whole study: the trials this process reported before, plus the trials run elsewhere (other
/// processes, earlier runs) that finished before this one. Processes sharing a study thus print
/// one sequence between them, a resumed study counts on, and the workers of one process keep
/// their lines in order. On a terminal outside CI a bar stays under the last line with the count
/// and the best value so far; redirected output and CI logs get the plain lines only.
/// </summary>
public sealed class TuneProgress
{
    private const int BarWidth = 30;
    private static readonly TrialState[] Finished = { TrialState.Complete, TrialState.Pruned, TrialState.Fail };
    private readonly TextWriter _output;
    private readonly int _budget;
    private readonly bool _bar;
    private readonly IReadOnlyList<string> _valueNames;
    // Trials started or reported by this process: every other finished trial ran elsewhere.
    private readonly HashSet<int> _here = new();
    private int _reported;

    /// <param name="bar">Draw the bar; by default when <paramref name="output"/> is an interactive console.</param>
    public TuneProgress(TextWriter output, int budget, string valueName = "value", bool? bar = null) : this(output, budget, [valueName], bar) { }

    /// <param name="valueNames">The objectives' names, one per objective of the study.</param>
    public TuneProgress(TextWriter output, int budget, IReadOnlyList<string> valueNames, bool? bar = null)
    {
        _valueNames = valueNames;
        _output = output;
        _budget = budget;
        _bar = bar ?? ProgressDisplay.IsInteractive(output);
    }

    /// <summary>Wraps the objective so that the trials this process runs are known as its own.</summary>
    public Func<Trial, T> Track<T>(Func<Trial, T> objective) => trial =>
    {
        Started(trial);
        return objective(trial);
    };

    /// <summary>Marks a trial as run by this process.</summary>
    public void Started(Trial trial)
    {
        lock (_here) _here.Add(trial.Number);
    }

    /// <summary>Called for one finished trial at a time (the workers serialize the calls).</summary>
    public void Report(Study study, FrozenTrial trial)
    {
        var finished = Counted(study.GetTrials(Finished), study.Trials);
        int number;
        lock (_here)
        {
            _here.Add(trial.Number);
            number = ++_reported + FinishedElsewhereBefore(finished, trial, _here);
        }
        if (_bar) _output.Write(ProgressDisplay.ClearLine);
        _output.WriteLine(TrialLine.Format(trial, number, _budget, _valueNames));
        if (_bar) _output.Write(BarLine(finished.Count, _budget, study.IsMultiObjective ? null : Best(study.Direction, finished), _valueNames[0]));
        _output.Flush();
    }

    /// <summary>Removes the bar before the closing lines.</summary>
    public void Finish()
    {
        if (_bar) _output.Write(ProgressDisplay.ClearLine);
    }

    /// <summary>
    /// The finished trials that count towards the budget: a failed attempt that was retried is not
    /// one, since its retry (queued, running or finished, among <paramref name="all"/>) takes its
    /// place and its line, so (k/N) never passes N and no k is printed twice.
    /// </summary>
    public static IReadOnlyList<FrozenTrial> Counted(IReadOnlyList<FrozenTrial> finished, IEnumerable<FrozenTrial> all)
    {
        var retried = all.SelectMany(Sparta.Tuning.Workers.FailedTrialRetry.History).ToHashSet();
        return retried.Count == 0 ? finished : finished.Where(t => !retried.Contains(t.Number)).ToList();
    }

    /// <summary>
    /// The finished trials not run by this process (<paramref name="here"/>) that finished before
    /// <paramref name="trial"/>, by completion time then number.
    /// </summary>
    public static int FinishedElsewhereBefore(IEnumerable<FrozenTrial> finished, FrozenTrial trial, IReadOnlySet<int> here)
    {
        var key = (trial.DatetimeComplete ?? DateTime.MaxValue, trial.Number);
        return finished.Count(t => !here.Contains(t.Number) && (t.DatetimeComplete ?? DateTime.MaxValue, t.Number).CompareTo(key) < 0);
    }

    /// <summary>The bar under the trial lines: <c>[#####.....] 12/50 best val_accuracy: 0.812000</c>.</summary>
    public static string BarLine(int finished, int budget, double? best, string valueName) =>
        string.Create(CultureInfo.InvariantCulture, $"{ProgressDisplay.Bar(finished, budget, BarWidth, '#')} {finished}/{budget}") +
        (best is double value ? $" best {valueName}: {TrialLine.FormatMeasure(valueName, value)}" : "");

    private static double? Best(StudyDirection direction, IEnumerable<FrozenTrial> finished)
    {
        double? best = null;
        foreach (var t in finished)
            if (t.State == TrialState.Complete && t.Value is double v && (best is null || direction.IsBetter(v, best.Value))) best = v;
        return best;
    }
}
