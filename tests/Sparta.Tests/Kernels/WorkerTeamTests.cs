namespace Sparta.Tests.Kernels;

/// <summary>
/// The kernels' worker team: every part of every call runs exactly once and is finished when the call
/// returns, whether the workers are spinning, asleep, busy with another caller or called from inside a part.
/// </summary>
public class WorkerTeamTests
{
    [Fact]
    public void ManyCallsInARowRunEveryPartOnceAndFinishItBeforeReturning()
    {
        for (int call = 0; call < 3000; call++)
        {
            // Up to nine parts: more than the team's reused call first has room for.
            int parts = 1 + call % 9;
            var runs = new int[parts];
            Parallelism.ForEachPart(parts, part => Interlocked.Increment(ref runs[part]));
            // Read after the call returned: a part still running, or run twice, shows here.
            for (int part = 0; part < parts; part++)
                Assert.True(runs[part] == 1, $"call {call}: part {part} of {parts} ran {runs[part]} times");
        }
    }

    [Fact]
    public void CallsAfterTheWorkersWentToSleepStillRunEveryPart()
    {
        for (int call = 0; call < 3; call++)
        {
            // Longer than the workers spin before they sleep.
            Thread.Sleep(20);
            var runs = new int[3];
            Parallelism.ForEachPart(3, part => Interlocked.Increment(ref runs[part]));
            Assert.Equal([1, 1, 1], runs);
        }
    }

    [Fact]
    public void CallersOnSeveralThreadsAtOnceEachGetTheirOwnPartsRun()
    {
        const int callers = 4, callsEach = 500;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, callers).Select(caller => new Thread(() =>
        {
            for (int call = 0; call < callsEach; call++)
            {
                var values = new long[3];
                Parallelism.ForEachPart(3, part => values[part] = (long)caller * 1_000_000 + call * 10 + part);
                for (int part = 0; part < 3; part++)
                    if (values[part] != (long)caller * 1_000_000 + call * 10 + part)
                        failures.Add($"caller {caller} call {call} part {part}: {values[part]}");
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
    }

    [Fact]
    public void ACallFromInsideAPartRunsItsOwnParts()
    {
        var runs = new int[3, 2];
        Parallelism.ForEachPart(3, outer =>
            Parallelism.ForEachPart(2, inner => Interlocked.Increment(ref runs[outer, inner])));
        foreach (int count in runs) Assert.Equal(1, count);
    }

    [Fact]
    public void TheLowestFailingPartsErrorReachesTheCallerUnwrappedAndTheTeamWorksAfter()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parallelism.ForEachPart(4, part =>
        {
            if (part >= 1) throw new InvalidOperationException($"part {part}");
        }));
        Assert.Equal("part 1", error.Message);

        var runs = new int[4];
        Parallelism.ForEachPart(4, part => Interlocked.Increment(ref runs[part]));
        Assert.Equal([1, 1, 1, 1], runs);
    }
}
