namespace Sparta.Tests.Kernels;

/// <summary><see cref="Parallelism.Scope"/>: a thread count of its own for the code inside it and the work it starts, which other threads do not see.</summary>
public class ThreadCountScopeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public void ScopesOnTwoThreadsAtOnceEachSeeTheirOwnCount()
    {
        using var outer = Parallelism.Scope(5);
        using var barrier = new Barrier(2);
        var seen = new int[2][];
        var errors = new Exception?[2];
        var threads = new[] { 1, 2 }.Select((count, index) => new Thread(() =>
        {
            try
            {
                // Started inside the outer scope: it sees that scope's count until it opens its own.
                int inherited = Parallelism.ThreadCount;
                int inside, afterSetting;
                using (Parallelism.Scope(count))
                {
                    Assert.True(barrier.SignalAndWait(Patience), "the other thread never opened its scope");
                    inside = Parallelism.ThreadCount;
                    Parallelism.ThreadCount = count + 10;
                    Assert.True(barrier.SignalAndWait(Patience), "the other thread never set its count");
                    afterSetting = Parallelism.ThreadCount;
                }
                seen[index] = [inherited, inside, afterSetting, Parallelism.ThreadCount];
            }
            catch (Exception e) { errors[index] = e; }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) Assert.True(thread.Join(Patience), "a thread did not finish");
        Assert.All(errors, e => Assert.Null(e));
        Assert.Equal([5, 1, 11, 5], seen[0]);
        Assert.Equal([5, 2, 12, 5], seen[1]);
        Assert.Equal(5, Parallelism.ThreadCount);
    }

    [Fact]
    public void ATaskStartedInAScopeUsesItsCountAndAnInnerScopeEndsBackInTheOuter()
    {
        using var outer = Parallelism.Scope(3);
        Assert.Equal(3, Task.Run(() => Parallelism.ThreadCount).Result);
        using (Parallelism.Scope())
        {
            Assert.Equal(3, Parallelism.ThreadCount);
            Parallelism.ThreadCount = 1;
            Assert.Equal(1, Task.Run(() => Parallelism.ThreadCount).Result);
        }
        Assert.Equal(3, Parallelism.ThreadCount);
    }

    [Fact]
    public void AScopeOfNoThreadsIsRefusedNamingTheValue()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Scope(0));
        Assert.Contains("thread count must be at least 1, got 0", e.Message);
    }
}
