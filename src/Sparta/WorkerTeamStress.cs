using System.Diagnostics;

namespace Sparta;

/// <summary>
/// A mode that makes the worker team's rare interleavings common, to check that results do not depend
/// on them: every thread of the team pauses for a random while (none, up to a fifth of a millisecond
/// of spinning, or a whole millisecond asleep, as a preempted thread would) before claiming a part,
/// before and after running it and between counting it done and waking the caller, and the caller never
/// runs the parts alone (<see cref="WorkerTeamJudge"/> would send it alone once the pauses cost more than
/// the help). Off unless the environment variable SPARTA_WORKER_STRESS is 1 or a test sets <see cref="Enabled"/>.
/// </summary>
internal static class WorkerTeamStress
{
    private static readonly long LongestSpin = Stopwatch.Frequency / 5000;

    /// <summary>Whether the team's threads pause at random.</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("SPARTA_WORKER_STRESS") == "1";

    /// <summary>A random pause when the mode is on; nothing otherwise.</summary>
    public static void Pause()
    {
        if (Enabled) PauseAtRandom();
    }

    private static void PauseAtRandom()
    {
        int draw = Random.Shared.Next(16);
        if (draw < 6) return;
        if (draw == 15)
        {
            Thread.Sleep(1);
            return;
        }
        long longest = draw == 14 ? LongestSpin : LongestSpin / 10;
        long until = Stopwatch.GetTimestamp() + Random.Shared.NextInt64(longest);
        while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
    }
}
