using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Sparta;

/// <summary>
/// The worker team's call: one object reused by every call, so a training step's parallel calls allocate
/// nothing. A call is announced by its ticket, its sequence number and part count in one word, so a
/// worker reads both at once. Each part has a slot holding the sequence of the last call that claimed it:
/// before a call is announced its parts' slots hold the sequence before it, and claiming a part moves the
/// slot to the call's own. A worker that wakes late holding an older ticket expects an older value, which
/// no slot holds any more, so it cannot take a part of a newer call.
/// </summary>
internal sealed class WorkerTeamCall
{
    private const int PartBits = 24;
    private const long PartMask = (1L << PartBits) - 1;

    /// <summary>The most parts one call can have: the ticket's low bits count them.</summary>
    public const int MaxParts = (int)PartMask;

    /// <summary>How long the caller spins for the other threads' parts before it sleeps until they are done.</summary>
    private static readonly long WaitSpinTicks = Stopwatch.Frequency / 10_000;

    /// <summary>
    /// The caller sleeps on this until no part is unfinished, checking the count under it. Not an event
    /// set by the thread finishing the last part: that thread may be preempted between counting its part
    /// done and setting the event, the caller meanwhile sees the count at zero, returns and starts the next
    /// call, and the late set then ends the next call's wait while its parts still run (a worker's half of a
    /// GEMM read before it was written, and its late count taken off the call after).
    /// </summary>
    private readonly object _finishGate = new();
    private readonly object _errorGate = new();
    private long _ticket;
    private long[] _claims = new long[4];
    private Action<int>? _body;
    private int _unfinished;
    private ExceptionDispatchInfo?[] _errors = [];
    private bool _failed;

    /// <summary>The latest call's ticket; a worker waits for it to change.</summary>
    public long Ticket => Volatile.Read(ref _ticket);

    /// <summary>Announces a call of <paramref name="parts"/> parts; the previous one must be finished.</summary>
    public void Begin(int parts, Action<int> body)
    {
        long sequence = (_ticket >> PartBits) + 1;
        if (_claims.Length < parts) _claims = new long[Math.Max(parts, 2 * _claims.Length)];
        // Slots of parts the last call did not have may hold any older sequence: all go to the one before.
        for (int part = 0; part < parts; part++) _claims[part] = sequence - 1;
        _body = body;
        _unfinished = parts;
        Volatile.Write(ref _ticket, sequence << PartBits | (uint)parts);
    }

    /// <summary>
    /// Runs part <paramref name="home"/> of the call <paramref name="ticket"/> announced, if no thread has
    /// claimed it, then any part still unclaimed; returns how many parts this thread ran.
    /// </summary>
    public int TakeParts(long ticket, int home)
    {
        int parts = (int)(ticket & PartMask), ran = 0;
        long sequence = ticket >> PartBits;
        if (home < parts && TryRun(sequence, home)) ran++;
        for (int part = 0; part < parts; part++)
            if (TryRun(sequence, part)) ran++;
        return ran;
    }

    /// <summary>Waits until every part of the current call is done: a short spin, then asleep.</summary>
    public void WaitUntilFinished()
    {
        long spinUntil = Stopwatch.GetTimestamp() + WaitSpinTicks;
        var wait = new SpinWait();
        while (Volatile.Read(ref _unfinished) > 0)
        {
            if (Stopwatch.GetTimestamp() >= spinUntil)
            {
                lock (_finishGate)
                    while (Volatile.Read(ref _unfinished) > 0) Monitor.Wait(_finishGate);
                return;
            }
            wait.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Ends the finished call: nothing of it is kept alive; the lowest failing part's error, if any, is raised.</summary>
    public void End()
    {
        _body = null;
        if (!_failed) return;
        _failed = false;
        var error = Array.Find(_errors, e => e is not null);
        Array.Clear(_errors);
        error!.Throw();
    }

    /// <summary>Runs the part unless another thread claimed it first; its error is kept for the caller.</summary>
    private bool TryRun(long sequence, int part)
    {
        WorkerTeamStress.Pause();
        var claims = Volatile.Read(ref _claims);
        if (part >= claims.Length || Interlocked.CompareExchange(ref claims[part], sequence, sequence - 1) != sequence - 1)
            return false;
        WorkerTeamStress.Pause();
        try { _body!(part); }
        catch (Exception e)
        {
            lock (_errorGate)
            {
                if (_errors.Length <= part) Array.Resize(ref _errors, Math.Max(part + 1, _claims.Length));
                _errors[part] = ExceptionDispatchInfo.Capture(e);
                _failed = true;
            }
        }
        WorkerTeamStress.Pause();
        if (Interlocked.Decrement(ref _unfinished) == 0)
        {
            WorkerTeamStress.Pause();
            // A wake-up that comes late finds the next call's count above zero, and its caller sleeps on.
            lock (_finishGate) Monitor.PulseAll(_finishGate);
        }
        return true;
    }
}
