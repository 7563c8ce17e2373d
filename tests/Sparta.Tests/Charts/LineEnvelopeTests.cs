using Sparta.Charts;

namespace Sparta.Tests.Charts;

/// <summary>
/// A line over its point budget is drawn as its envelope per pixel column: checked against the data,
/// column by column, with the columns worked out again here from the plot area the SVG states.
/// </summary>
public class LineEnvelopeTests
{
    /// <summary>A noisy loss of 42,200 batches with a few spikes, as a long run logs it.</summary>
    private static (double X, double Y)[] NoisyLoss(int count, int seed = 3)
    {
        var random = new Random(seed);
        var points = new (double X, double Y)[count];
        for (int i = 0; i < count; i++) points[i] = (i + 1, 2.0 * Math.Exp(-i / 8000.0) + 0.3 * random.NextDouble());
        foreach (int spike in new[] { 1234, 20_001, 41_999 }) points[spike] = (spike + 1, 9.5 + spike / 1e5);
        points[30_000] = (30_001, -1.25); // a dip, which a max-only bound would lose
        return points;
    }

    [Fact]
    public void ALongLineKeepsEachPixelColumnsFirstLowestHighestAndLastPointsSpikesIncluded()
    {
        var points = NoisyLoss(42_200);
        var svg = SvgProbe.Parse(new XYChart("loss per batch", "step", "loss").Line("batch loss", points, maxPoints: 2000).ToSvg());

        var line = Assert.Single(svg.Marks("line"));
        var area = line.Area();
        Assert.Equal(points.Length, line.Number("data-count"));
        double[] xs = line.Numbers("data-x"), ys = line.Numbers("data-y");
        Assert.True(xs.Length <= 4 * (Math.Ceiling(area.Width) + 1), $"{xs.Length} points drawn in a plot {area.Width} px wide");
        Assert.True(xs.Length < points.Length / 10);

        // Every drawn point is a data point, in the data's order.
        var index = points.Select((p, i) => (p, i)).ToDictionary(t => t.p.X, t => t.i);
        var drawn = xs.Select(x => index[x]).ToArray();
        Assert.Equal(drawn.Order(), drawn);
        for (int i = 0; i < xs.Length; i++) Assert.Equal(points[drawn[i]].Y, ys[i]);

        // Each pixel column: the data's first, lowest, highest and last points are drawn, and nothing else.
        var columns = points.Select((p, i) => (Column: (int)Math.Floor(area.PixelX(p.X)), Index: i)).GroupBy(c => c.Column).ToArray();
        var expected = new SortedSet<int>();
        foreach (var column in columns)
        {
            int[] members = column.Select(c => c.Index).ToArray();
            expected.Add(members[0]);
            expected.Add(members[^1]);
            expected.Add(members.MinBy(i => points[i].Y));
            expected.Add(members.MaxBy(i => points[i].Y));
        }
        Assert.Equal(expected, drawn);
        foreach (int spike in new[] { 1234, 20_001, 41_999, 30_000 }) Assert.Contains(spike, drawn);

        // The path goes through exactly the drawn points.
        var vertices = line.PathVertices();
        Assert.Equal(xs.Length, vertices.Length);
        for (int i = 0; i < xs.Length; i++) Assert.Equal(ys[i], area.DataY(vertices[i].Y), area.YTolerance(ys[i]));
    }

    [Fact]
    public void ALineWithinItsBudgetIsDrawnPointForPoint()
    {
        var points = NoisyLoss(42_200).Take(1500).ToArray();
        var line = Assert.Single(SvgProbe.Parse(new XYChart("c", "step", "loss").Line("s", points, maxPoints: 2000).ToSvg()).Marks("line"));

        Assert.Equal(points.Select(p => p.X), line.Numbers("data-x"));
        Assert.Equal(points.Select(p => p.Y), line.Numbers("data-y"));
        Assert.Null(line.Attribute("data-count"));
    }

    [Fact]
    public void ABreakInALongLineStaysABreakAndTheColumnsOnEitherSideAreKeptApart()
    {
        var points = NoisyLoss(42_200);
        points[5000] = (5001, double.NaN);
        points[5001] = (5002, double.PositiveInfinity);
        var line = Assert.Single(SvgProbe.Parse(new XYChart("c", "step", "loss").Line("s", points, maxPoints: 100).ToSvg()).Marks("line"));

        Assert.Equal(2, ((string)line.Attribute("d")!).Count(c => c == 'M'));
        double[] xs = line.Numbers("data-x");
        Assert.Contains(5000.0, xs); // the last point before the break
        Assert.Contains(5003.0, xs); // the first after it
        Assert.DoesNotContain(5001.0, xs);
        Assert.Equal(points.Length - 2, line.Number("data-count"));
    }

    [Fact]
    public void AZoomedLongLineBinsWhatLiesOutsideThePlotIntoOneColumnOnEachSide()
    {
        var points = NoisyLoss(42_200);
        var chart = new XYChart("c", "step", "loss") { XRange = (20_000, 20_400) }.Line("s", points, maxPoints: 2000);
        var line = Assert.Single(SvgProbe.Parse(chart.ToSvg()).Marks("line"));

        double[] xs = line.Numbers("data-x");
        // Inside the range, 400 points in a plot of more than 400 pixels: each is its own column's.
        Assert.Equal(Enumerable.Range(20_000, 401).Select(x => (double)x), xs.Where(x => x >= 20_000 && x <= 20_400));
        // Outside it, at most the first, lowest, highest and last of each side, among them the neighbours the line runs to.
        Assert.InRange(xs.Count(x => x < 20_000), 1, 4);
        Assert.InRange(xs.Count(x => x > 20_400), 1, 4);
        Assert.Contains(19_999.0, xs);
        Assert.Contains(20_401.0, xs);
    }
}
