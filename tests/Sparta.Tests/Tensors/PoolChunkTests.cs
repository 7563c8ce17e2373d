using Sparta.Tensors;

namespace Sparta.Tests.Tensors;

public class PoolChunkTests
{
    private const int G = PoolChunk.Granule;

    [Fact]
    public void RandomTakesAndGivesNeverOverlapAndMergeBackIntoOneRange()
    {
        // An independent model of the chunk: which floats are lent, checked after every call.
        const int length = 512 * G;
        var chunk = new PoolChunk(length);
        var lent = new bool[length];
        var blocks = new List<(int Offset, int Length)>();
        var random = new Random(7);
        for (int call = 0; call < 5_000; call++)
        {
            if (blocks.Count > 0 && random.Next(2) == 0)
            {
                var (offset, size) = blocks[random.Next(blocks.Count)];
                blocks.Remove((offset, size));
                chunk.Give(offset, size);
                Array.Fill(lent, false, offset, size);
            }
            else
            {
                int size = random.Next(1, 40) * G;
                int fit = chunk.BestFit(size);
                int shortestHolding = ShortestFreeRun(lent, size);
                Assert.Equal(shortestHolding, fit);
                if (fit == int.MaxValue) continue;
                int offset = chunk.Take(size);
                Assert.Equal(0, offset % G);
                for (int i = offset; i < offset + size; i++) Assert.False(lent[i], $"float {i} lent twice");
                Array.Fill(lent, true, offset, size);
                blocks.Add((offset, size));
            }
            Assert.Equal(lent.LongCount(l => !l), chunk.FreeFloats);
            Assert.Equal(FreeRuns(lent), chunk.FreeRanges);
        }
        foreach (var (offset, size) in blocks) chunk.Give(offset, size);
        Assert.True(chunk.IsEmpty);
        Assert.Equal(1, chunk.FreeRanges);
        Assert.Equal(length, chunk.FreeFloats);
    }

    [Fact]
    public void ABlockGivenBackTwiceIsRefused()
    {
        var chunk = new PoolChunk(64 * G);
        int a = chunk.Take(8 * G);
        chunk.Take(8 * G);
        chunk.Give(a, 8 * G);
        Assert.Throws<InvalidOperationException>(() => chunk.Give(a, 8 * G));
    }

    /// <summary>The length of the shortest run of free floats at least <paramref name="size"/> long, or int.MaxValue.</summary>
    private static int ShortestFreeRun(bool[] lent, int size)
    {
        int best = int.MaxValue;
        foreach (int run in Runs(lent))
            if (run >= size && run < best) best = run;
        return best;
    }

    private static int FreeRuns(bool[] lent) => Runs(lent).Count();

    private static IEnumerable<int> Runs(bool[] lent)
    {
        int run = 0;
        foreach (bool l in lent)
        {
            if (!l) run++;
            else if (run > 0) { yield return run; run = 0; }
        }
        if (run > 0) yield return run;
    }
}
