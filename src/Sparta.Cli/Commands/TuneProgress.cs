using Sparta.Tuning;
using Sparta.Tuning.Output;

namespace Sparta.Cli.Commands;

/// <summary>
/// The trial lines of <c>sparta tune</c>: one line per finished trial numbered against the
/// study's whole budget, counting on from the trials already finished when the run started (a
/// resumed study goes on from there; processes running at the same time each count their own),
/// and on a terminal a progress bar kept under the last line. Redirected output gets the plain
/// lines only.
/// </summary>
public sealed class TuneProgress
{
    private const int BarWidth = 30;
    private readonly TextWriter _output;
    private readonly int _budget;
    private readonly bool _bar;
    private readonly string _valueName;
    private int _finished;

    public TuneProgress(TextWriter output, int budget, int finishedBefore, string valueName = "value")
    {
        _valueName = valueName;
        _output = output;
        _budget = budget;
        _finished = finishedBefore;
        _bar = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    }

    /// <summary>Called for one finished trial at a time (the workers serialize the calls).</summary>
    public void Report(Study study, FrozenTrial trial)
    {
        _finished++;
        if (_bar) _output.Write("\r\x1b[2K");
        _output.WriteLine(TrialLine.Format(trial, _finished, _budget, _valueName));
        if (_bar) _output.Write(Bar(_finished));
    }

    /// <summary>Removes the bar before the closing lines.</summary>
    public void Finish()
    {
        if (_bar) _output.Write("\r\x1b[2K");
    }

    private string Bar(int finished)
    {
        int filled = (int)((long)BarWidth * Math.Min(finished, _budget) / _budget);
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {finished}/{_budget}";
    }
}
