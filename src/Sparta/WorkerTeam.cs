using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Sparta;

/// <summary>
/// The kernels' fork-join threads: worker threads that stay alive between calls and, once a call is
/// done, spin for a short while before they sleep, as OpenMP's do. A training step runs a GEMM split
/// in two every few hundred microseconds with short serial passes between; the thread pool's worker
/// had gone to sleep by the next split, and waking it took about as long as its half of the work,
/// so the calling thread usually ran both halves itself and two threads trained no faster than one.
/// Each thread first claims its own part (the caller part 0, worker w part w), so consecutive calls cut
/// the same way (a GEMM's rows and the optimizer's update of them) find their data in the same core's
/// cache; parts left unclaimed, by a worker still waking or when there are more parts than threads,
/// go to whichever thread comes for them. A part runs exactly once, and what it computes does not
/// depend on which thread runs it. A call allocates nothing (<see cref="WorkerTeamCall"/> is reused), and
/// the caller sleeps rather than spins once the others' parts keep it waiting.
/// </summary>
internal static class WorkerTeam
{
    /// <summary>How long a worker keeps looking for the next call before it sleeps: a few training steps' serial gaps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private static readonly object SleepGate = new();
    private static readonly List<Thread> Workers = [];
    private static readonly WorkerTeamCall Call = new();
    private static readonly WorkerTeamJudge Judge = new();
    private static int _busy;

    /// <summary>Whether this thread is running a part: every thread of the team is then busy with one.</summary>
    [ThreadStatic] private static bool _inPart;

    /// <summary>
    /// Runs <paramref name="body"/>(part) once for every part in [0, <paramref name="parts"/>), the caller
    /// taking parts too, and returns when all are done. A call from inside a part runs its parts in turn on
    /// that thread (the other threads have parts of their own: a convolution's chunks each run a GEMM), as
    /// does a call while <see cref="WorkerTeamJudge"/> finds the other threads do not help;
    /// when another thread's call holds the team, the parts run on the thread pool. The error of the
    /// lowest failing part is raised, as a loop over the parts would have raised it.
    /// </summary>
    public static void Run(int parts, Action<int> body)
    {
        if (_inPart)
        {
            for (int part = 0; part < parts; part++) body(part);
            return;
        }
        if (parts > WorkerTeamCall.MaxParts || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunOnThreadPool(parts, body);
            return;
        }
        try
        {
            long start = Stopwatch.GetTimestamp();
            if (Judge.RunsAlone(start) && !WorkerTeamStress.Enabled)
            {
                RunAlone(parts, body);
                return;
            }
            // More spinning threads than processors would take turns with the caller instead of helping it.
            EnsureWorkers(Math.Min(parts, Environment.ProcessorCount) - 1);
            Call.Begin(parts, body);
            lock (SleepGate) Monitor.PulseAll(SleepGate);
            int ran;
            _inPart = true;
            try { ran = Call.TakeParts(Call.Ticket, 0); }
            finally { _inPart = false; }
            long ranUntil = Stopwatch.GetTimestamp();
            Call.WaitUntilFinished();
            long end = Stopwatch.GetTimestamp();
            Judge.Record(parts, ran, ranUntil - start, end - ranUntil, end);
            Call.End();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>The parts in turn on the caller, which counts as inside a part for the calls they make.</summary>
    private static void RunAlone(int parts, Action<int> body)
    {
        _inPart = true;
        try
        {
            for (int part = 0; part < parts; part++) body(part);
        }
        finally { _inPart = false; }
    }

    private static void RunOnThreadPool(int parts, Action<int> body)
    {
        try
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    private static void EnsureWorkers(int count)
    {
        while (Workers.Count < count)
        {
            int home = Workers.Count + 1;
            var thread = new Thread(() => Work(home)) { IsBackground = true, Name = $"Sparta worker {home}" };
            Workers.Add(thread);
            // Without the first caller's context: a worker serves every caller, so none's Parallelism.Scope goes with it.
            thread.UnsafeStart();
        }
    }

    private static void Work(int home)
    {
        // A worker only ever runs parts: a call it makes from one runs in turn.
        _inPart = true;
        long seen = Call.Ticket;
        while (true)
        {
            seen = WaitForCall(seen);
            Call.TakeParts(seen, home);
        }
    }

    /// <summary>Spins until the call's ticket is other than <paramref name="seen"/>, then sleeps until it is; returns it.</summary>
    private static long WaitForCall(long seen)
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        long ticket;
        while ((ticket = Call.Ticket) == seen)
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(20);
                continue;
            }
            lock (SleepGate)
            {
                // Checked under the lock the caller pulses under: a call cannot slip in between.
                while ((ticket = Call.Ticket) == seen) Monitor.Wait(SleepGate);
            }
        }
        return ticket;
    }
}
