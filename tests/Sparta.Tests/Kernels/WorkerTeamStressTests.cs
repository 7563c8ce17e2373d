using System.Diagnostics;
using Sparta.Data;
using Sparta.Tensors;
using Sparta.Tests.Training;

namespace Sparta.Tests.Kernels;

/// <summary>Tests that turn <see cref="WorkerTeamStress"/> on: it is process-wide, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class WorkerTeamStressCollection
{
    public const string Name = "worker team stress";
}

/// <summary>
/// The worker team with its threads pausing at random where they hand work to each other: a call still
/// returns only once every part of it is done, and training gives the bits it gives on one thread.
/// </summary>
[Collection(WorkerTeamStressCollection.Name)]
public class WorkerTeamStressTests
{
    [Fact]
    public void ACallReturnsOnlyWhenEveryPartIsDoneWhateverThreadPausesWhere()
    {
        // Before the fix a thread late between counting the last part done and waking the caller woke the
        // caller's next call early: under load about one call in 2,000 returned with a part still running.
        const int calls = 5000;
        var lengths = new Random(11);
        long longestPart = Stopwatch.Frequency / 5000;
        string? failure = null;
        WithStress(() =>
        {
            for (int call = 0; call < calls && failure is null; call++)
            {
                int parts = 2 + call % 3;
                var done = new int[parts];
                var ticks = Enumerable.Range(0, parts).Select(_ => lengths.NextInt64(longestPart)).ToArray();
                Parallelism.ForEachPart(parts, part =>
                {
                    long until = Stopwatch.GetTimestamp() + ticks[part];
                    while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
                    Volatile.Write(ref done[part], 1);
                });
                // Read as soon as the call returned: a part another thread is still running shows here.
                for (int part = 0; part < parts && failure is null; part++)
                    if (Volatile.Read(ref done[part]) != 1) failure = $"call {call}: part {part} of {parts} not done when the call returned";
            }
        });
        Assert.Null(failure);
    }

    [Theory]
    [MemberData(nameof(ThreadCountTests.Examples), MemberType = typeof(ThreadCountTests))]
    public void TheExamplesTrainToTheSameBitsWhileTheThreadsPauseAtRandom(string example)
    {
        var one = ThreadCountTests.Train(example, 1);
        float[][] stressed = [];
        WithStress(() => stressed = ThreadCountTests.Train(example, 2));
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], stressed[i]);
    }

    [Fact]
    public void TheBatchesGatheredAreTheSameWhileTheThreadsPauseAtRandom()
    {
        var one = Batches(1);
        float[][] stressed = [];
        WithStress(() => stressed = Batches(2));
        Assert.Equal(one.Length, stressed.Length);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], stressed[i]);
    }

    /// <summary>An epoch's shuffled batches of 128 rows of 784 values (split in two ranges on two threads), copied out.</summary>
    private static float[][] Batches(int threads)
    {
        using var threadCount = Parallelism.Scope(threads);
        var images = Tensor.Zeros(1000, 784);
        new RandomGenerator(5).FillNormal(images.Span, 0, 1);
        var data = Dataset.Classification([("image", images)], Enumerable.Range(0, 1000).Select(i => i % 10).ToArray(), 10);
        var loader = new BatchLoader(data, 128, new RandomGenerator(9));
        return loader.Epoch().Select(batch => batch.Input("image").ToArray()).ToArray();
    }

    /// <summary>Runs <paramref name="action"/> with the stress on, then off again.</summary>
    private static void WithStress(Action action)
    {
        WorkerTeamStress.Enabled = true;
        try { action(); }
        finally { WorkerTeamStress.Enabled = false; }
    }
}
