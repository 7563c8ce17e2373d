namespace Sparta.Charts;

/// <summary>Small multiples: several charts in one figure, row by row, each in a cell the size of the largest.</summary>
public sealed class ChartGrid : Chart
{
    private const double TitleHeight = 30;
    private readonly List<Chart> _charts = [];

    public ChartGrid(string title, int columns) : base(title)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), $"chart grid '{title}': columns must be positive, got {columns}");
        Columns = columns;
    }

    public int Columns { get; }

    public IReadOnlyList<Chart> Charts => _charts;

    private double CellWidth => _charts.Count == 0 ? 640 : _charts.Max(c => c.Width);

    private double CellHeight => _charts.Count == 0 ? 400 : _charts.Max(c => c.Height);

    public override double Width => CellWidth * Math.Min(Columns, Math.Max(1, _charts.Count));

    public override double Height => TitleHeight + CellHeight * Math.Max(1, (_charts.Count + Columns - 1) / Columns);

    public ChartGrid Add(Chart chart)
    {
        _charts.Add(chart);
        return this;
    }

    protected override void Draw(SvgWriter svg)
    {
        DrawTitle(svg);
        for (int i = 0; i < _charts.Count; i++)
            _charts[i].DrawNested(svg, CellWidth * (i % Columns), TitleHeight + CellHeight * (i / Columns));
        if (_charts.Count == 0) DrawNoData(svg, Width / 2, Height / 2);
    }
}
