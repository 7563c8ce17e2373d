using Sparta.Tuning.Reports;

namespace Sparta.Tuning.Tests.Reports;

public class ParetoFrontTests
{
    private static FrozenTrial Trial(int number, TrialState state, params double[] values) =>
        new() { Number = number, State = state, Values = values };

    /// <summary>
    /// The front of two objectives by a sweep, a different algorithm: both turned into minimization,
    /// taken in order of the first; of the points sharing a first value, those with the least second
    /// value are on the front when it beats every second value seen before (the others are beaten by them).
    /// </summary>
    private static HashSet<int> Sweep(IReadOnlyList<FrozenTrial> trials, StudyDirection[] directions)
    {
        double Sign(int i) => directions[i] == StudyDirection.Maximize ? -1 : 1;
        var front = new HashSet<int>();
        double best = double.PositiveInfinity;
        foreach (var group in trials.Select(t => (t.Number, A: Sign(0) * t.Values![0], B: Sign(1) * t.Values![1])).GroupBy(p => p.A).OrderBy(g => g.Key))
        {
            double least = group.Min(p => p.B);
            if (least < best) front.UnionWith(group.Where(p => p.B == least).Select(p => p.Number));
            best = Math.Min(best, least);
        }
        return front;
    }

    [Theory]
    [InlineData(StudyDirection.Minimize, StudyDirection.Minimize)]
    [InlineData(StudyDirection.Minimize, StudyDirection.Maximize)]
    [InlineData(StudyDirection.Maximize, StudyDirection.Maximize)]
    public void TheFrontIsTheTrialsNoOtherDominates(StudyDirection first, StudyDirection second)
    {
        var random = new Random(7);
        // Values on a coarse grid, so ties on one objective happen.
        var trials = Enumerable.Range(0, 200).Select(n => Trial(n, TrialState.Complete, random.Next(20) / 4.0, random.Next(20) / 4.0)).ToArray();
        var points = ParetoFront.Of(trials, [first, second]);
        Assert.Equal(trials.Select(t => t.Number), points.Select(p => p.Number));
        Assert.Equal(Sweep(trials, [first, second]).Order(), points.Where(p => p.OnFront).Select(p => p.Number).Order());
    }

    [Fact]
    public void OnlyCompleteTrialsWithAFiniteValueForEveryObjectiveTakePart()
    {
        FrozenTrial[] trials =
        [
            Trial(0, TrialState.Complete, 1, 1),
            Trial(1, TrialState.Pruned, 0, 0),
            Trial(2, TrialState.Complete, double.NaN, 0),
            Trial(3, TrialState.Complete, 5),
            Trial(4, TrialState.Complete, 2, 0.5),
        ];
        var points = ParetoFront.Of(trials, [StudyDirection.Minimize, StudyDirection.Minimize]);
        Assert.Equal([0, 4], points.Select(p => p.Number));
        Assert.All(points, p => Assert.True(p.OnFront));
    }
}
