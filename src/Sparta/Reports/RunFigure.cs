using Sparta.Charts;

namespace Sparta.Reports;

/// <summary>
/// The size every chart of a run report shares, and the figure files that hold them: two charts a
/// row fit the report page's width, and the same charts tile learning_curves.svg and diagnostics.svg.
/// </summary>
internal static class RunFigure
{
    public const double ChartWidth = 560, ChartHeight = 340;

    public static XYChart Chart(string title, string xLabel, string yLabel, AxisScale yScale = AxisScale.Linear, (double Min, double Max)? yRange = null) =>
        new(title, xLabel, yLabel) { Width = ChartWidth, Height = ChartHeight, YScale = yScale, YRange = yRange };

    public static ChartGrid Grid(string title, IEnumerable<Chart> charts)
    {
        var grid = new ChartGrid(title, columns: 2);
        foreach (var chart in charts) grid.Add(chart);
        return grid;
    }
}
