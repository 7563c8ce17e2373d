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
/// depend on which thread runs it.
/// </summary>
internal static class WorkerTeam
{
    /// <summary>How long a worker keeps looking for the next call before it sleeps: a few training steps' serial gaps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private static readonly object SleepGate = new();
    private static readonly List<Thread> Workers = [];
    private static int _busy;

    /// <summary>Whether this thread is running a part: every thread of the team is then busy with one.</summary>
    [ThreadStatic] private static bool _inPart;

    /// <summary>The latest call; a worker that wakes late holds an older one, whose parts are all taken.</summary>
    private static Call? _call;

    /// <summary>
    /// Runs <paramref name="body"/>(part) once for every part in [0, <paramref name="parts"/>), the caller
    /// taking parts too, and returns when all are done. A call from inside a part runs its parts in turn on
    /// that thread (the other threads have parts of their own: a convolution's chunks each run a GEMM);
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
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            RunOnThreadPool(parts, body);
            return;
        }
        try
        {
            // More spinning threads than processors would take turns with the caller instead of helping it.
            EnsureWorkers(Math.Min(parts, Environment.ProcessorCount) - 1);
            var call = new Call(body, parts);
            Volatile.Write(ref _call, call);
            lock (SleepGate) Monitor.PulseAll(SleepGate);
            call.TakeParts(0);
            var wait = new SpinWait();
            while (Volatile.Read(ref call.Unfinished) > 0) wait.SpinOnce(sleep1Threshold: -1);
            // Nothing of the call is kept alive once it is done; the workers take the change for a call without parts.
            Volatile.Write(ref _call, null);
            call.ThrowFirstError();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
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
            thread.Start();
        }
    }

    private static void Work(int home)
    {
        Call? seen = Volatile.Read(ref _call);
        while (true)
        {
            seen = WaitForCall(seen);
            seen?.TakeParts(home);
        }
    }

    /// <summary>Spins until <see cref="_call"/> is other than <paramref name="seen"/>, then sleeps until it is; returns it.</summary>
    private static Call? WaitForCall(Call? seen)
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        Call? call;
        while ((call = Volatile.Read(ref _call)) == seen)
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(20);
                continue;
            }
            lock (SleepGate)
            {
                // Checked under the lock the caller pulses under: a call cannot slip in between.
                while ((call = Volatile.Read(ref _call)) == seen) Monitor.Wait(SleepGate);
            }
        }
        return call;
    }

    /// <summary>One call's parts: claimed through flags of its own, so a late worker cannot take a newer call's part.</summary>
    private sealed class Call(Action<int> body, int parts)
    {
        public int Unfinished = parts;
        private readonly int[] _claimed = new int[parts];
        private ExceptionDispatchInfo?[]? _errors;

        /// <summary>Runs part <paramref name="home"/> if no thread has claimed it, then any part still unclaimed.</summary>
        public void TakeParts(int home)
        {
            if (home < parts) TryRun(home);
            for (int part = 0; part < parts; part++) TryRun(part);
        }

        /// <summary>Runs the part unless another thread claimed it first; its error is kept for the caller.</summary>
        private void TryRun(int part)
        {
            if (Interlocked.CompareExchange(ref _claimed[part], 1, 0) != 0) return;
            _inPart = true;
            try { body(part); }
            catch (Exception e)
            {
                lock (_claimed) (_errors ??= new ExceptionDispatchInfo?[parts])[part] = ExceptionDispatchInfo.Capture(e);
            }
            finally { _inPart = false; }
            Interlocked.Decrement(ref Unfinished);
        }

        public void ThrowFirstError()
        {
            if (_errors is null) return;
            foreach (var error in _errors) error?.Throw();
        }
    }
}
