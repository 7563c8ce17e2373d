using System.Diagnostics;

namespace Sparta;

/// <summary>
/// Judges from the team's own calls whether the other threads help, and sends the caller to run the
/// parts alone for a while when they do not. On a machine with more runnable threads than processors a
/// worker that has claimed a part is often preempted, and the caller then waits a whole time slice for
/// it: two threads ran at 0.7x of one under load. Each call's gain is the time the other threads' parts
/// would have taken the caller (at the pace of its own parts) less the time it waited for them; over a
/// window of calls a loss sends the caller alone for a period that doubles while the losses go on (and
/// starts again short after a window that gains), then the team is tried again. A window in which the
/// other threads ran under a quarter of the parts loses too, whatever the gain says: on a machine with
/// many more runnable threads than processors the workers mostly come too late, the caller runs nearly
/// every part itself, and the few parts it hands over make a gain only because the caller's own part, the
/// pace they are judged by, was stretched by its preemptions; meanwhile the workers' spinning takes
/// processor time from the caller (two threads ran at 0.6x of one at load average 40-50). Which thread
/// runs a part never changes what it computes, so results stay the same.
/// </summary>
internal sealed class WorkerTeamJudge
{
    /// <summary>Calls judged together: a few training steps' parallel calls.</summary>
    public const int WindowCalls = 32;

    public static readonly long ShortestAlone = Stopwatch.Frequency / 50;
    public static readonly long LongestAlone = Stopwatch.Frequency;

    private long _gain;
    private int _calls, _parts, _othersParts;
    private long _aloneUntil;
    private long _aloneFor = ShortestAlone;

    /// <summary>Whether the caller runs the parts alone at time <paramref name="now"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public bool RunsAlone(long now) => now < _aloneUntil;

    /// <summary>
    /// One call of <paramref name="parts"/> parts of which the caller ran <paramref name="callerParts"/> in
    /// <paramref name="callerTicks"/>, then waited <paramref name="waitTicks"/> for the rest; <paramref name="now"/> is its end.
    /// </summary>
    public void Record(int parts, int callerParts, long callerTicks, long waitTicks, long now)
    {
        // A caller that ran no part has no pace to judge the others' by.
        if (callerParts == 0) return;
        _gain += callerTicks * (parts - callerParts) / callerParts - waitTicks;
        _parts += parts;
        _othersParts += parts - callerParts;
        if (++_calls < WindowCalls) return;
        if (_gain <= 0 || 4L * _othersParts < _parts)
        {
            _aloneUntil = now + _aloneFor;
            _aloneFor = Math.Min(2 * _aloneFor, LongestAlone);
        }
        else _aloneFor = ShortestAlone;
        _gain = 0;
        _calls = _parts = _othersParts = 0;
    }
}
