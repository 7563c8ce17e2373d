namespace Sparta.Tests.Kernels;

/// <summary>
/// The worker team's judge: a window of calls in which the caller waited longer for the other threads
/// than their parts would have taken it sends the caller alone, for a period that doubles while the
/// losses go on; a window that gains brings the team back for good. Timestamps are given, not read.
/// </summary>
public class WorkerTeamJudgeTests
{
    private const long Tick = 1_000;

    /// <summary>A whole window of two-part calls: the caller ran one part in 100 ticks and waited <paramref name="wait"/>.</summary>
    private static long Window(WorkerTeamJudge judge, long now, long wait)
    {
        for (int call = 0; call < WorkerTeamJudge.WindowCalls; call++)
        {
            now += 100 * Tick + wait;
            judge.Record(2, 1, 100 * Tick, wait, now);
        }
        return now;
    }

    [Fact]
    public void WaitsShorterThanTheHelpKeepTheTeam()
    {
        var judge = new WorkerTeamJudge();
        long now = Window(judge, 0, wait: 10 * Tick);
        Assert.False(judge.RunsAlone(now));
    }

    [Fact]
    public void WaitsLongerThanTheHelpSendTheCallerAloneForAPeriodThatDoublesWhileTheyLast()
    {
        var judge = new WorkerTeamJudge();
        long now = Window(judge, 0, wait: 300 * Tick);
        Assert.True(judge.RunsAlone(now));
        Assert.True(judge.RunsAlone(now + WorkerTeamJudge.ShortestAlone - 1));
        Assert.False(judge.RunsAlone(now + WorkerTeamJudge.ShortestAlone));

        now = Window(judge, now + WorkerTeamJudge.ShortestAlone, wait: 300 * Tick);
        Assert.True(judge.RunsAlone(now + 2 * WorkerTeamJudge.ShortestAlone - 1));
        Assert.False(judge.RunsAlone(now + 2 * WorkerTeamJudge.ShortestAlone));
    }

    [Fact]
    public void AWindowThatGainsMakesTheNextLossShortAgain()
    {
        var judge = new WorkerTeamJudge();
        long now = Window(judge, 0, wait: 300 * Tick);
        now = Window(judge, now + WorkerTeamJudge.ShortestAlone, wait: 300 * Tick);
        now = Window(judge, now + 2 * WorkerTeamJudge.ShortestAlone, wait: 0);
        Assert.False(judge.RunsAlone(now));
        now = Window(judge, now, wait: 300 * Tick);
        Assert.False(judge.RunsAlone(now + WorkerTeamJudge.ShortestAlone));
    }

    [Fact]
    public void AWorkerThatNeverHelpsLosesTheWindow()
    {
        // The caller ran both parts itself: nothing gained, and the worker's spinning is not free.
        var judge = new WorkerTeamJudge();
        long now = 0;
        for (int call = 0; call < WorkerTeamJudge.WindowCalls; call++)
            judge.Record(2, 2, 200 * Tick, 0, now += 200 * Tick);
        Assert.True(judge.RunsAlone(now));
    }

    [Fact]
    public void AWindowInWhichTheWorkersRanFewPartsLosesThoughItsGainIsPositive()
    {
        // A loaded machine: the caller ran both parts of 29 calls; in the other 3 it handed one over, but
        // its own part took ten times as long (preempted), so those calls alone add up to a large gain.
        var judge = new WorkerTeamJudge();
        long now = 0;
        for (int call = 0; call < WorkerTeamJudge.WindowCalls; call++)
        {
            bool handedOver = call % 11 == 0;
            long callerTicks = handedOver ? 1_000 * Tick : 200 * Tick;
            judge.Record(2, handedOver ? 1 : 2, callerTicks, 0, now += callerTicks);
        }
        Assert.True(judge.RunsAlone(now));
    }

    [Fact]
    public void WorkersRunningAQuarterOfThePartsKeepTheTeam()
    {
        // Four-part calls where the workers took one part each time and the caller three: a gain, and enough help.
        var judge = new WorkerTeamJudge();
        long now = 0;
        for (int call = 0; call < WorkerTeamJudge.WindowCalls; call++)
            judge.Record(4, 3, 300 * Tick, 10 * Tick, now += 310 * Tick);
        Assert.False(judge.RunsAlone(now));
    }

    [Fact]
    public void TheAlonePeriodStopsDoublingAtItsLongest()
    {
        var judge = new WorkerTeamJudge();
        long now = 0;
        long period = WorkerTeamJudge.ShortestAlone;
        while (period < 4 * WorkerTeamJudge.LongestAlone)
        {
            now = Window(judge, now, wait: 300 * Tick);
            now += Math.Min(period, WorkerTeamJudge.LongestAlone);
            period *= 2;
        }
        now = Window(judge, now, wait: 300 * Tick);
        Assert.True(judge.RunsAlone(now + WorkerTeamJudge.LongestAlone - 1));
        Assert.False(judge.RunsAlone(now + WorkerTeamJudge.LongestAlone));
    }
}
