namespace Sparta.Charts;

/// <summary>
/// One polyline per trial across vertical axes: the objective first, then each parameter on a
/// linear, log or categorical axis (a categorical value is the category's index). Lines are
/// coloured by objective (dark = low). Each is a &lt;polyline class="mark trial"&gt; with
/// <c>data-trial</c>, <c>data-objective</c> and <c>data-values</c> (the parameter values, separated
/// by spaces); each axis a &lt;g class="pc-axis"&gt; stating its position, scale and bounds.
/// A trial without a value for every axis is left out, as Optuna does.
/// </summary>
public sealed class ParallelCoordinatesChart : Chart
{
    private const double Left = 50, Right = 110, Top = 50, Bottom = 24;
    private readonly List<(string Name, AxisScale Scale, string[]? Categories)> _dimensions = [];
    private readonly List<(int Number, double Objective, double[] Values)> _trials = [];

    public ParallelCoordinatesChart(string title, string objectiveLabel) : base(title)
    {
        ObjectiveLabel = objectiveLabel;
        Width = 760;
    }

    public string ObjectiveLabel { get; }

    public ParallelCoordinatesChart Numeric(string name, AxisScale scale = AxisScale.Linear)
    {
        AddDimension(name, scale, null);
        return this;
    }

    public ParallelCoordinatesChart Categorical(string name, IEnumerable<string> categories)
    {
        AddDimension(name, AxisScale.Linear, categories.ToArray());
        return this;
    }

    /// <param name="values">One per axis added, in order; NaN where the trial has no value.</param>
    public ParallelCoordinatesChart Trial(int number, double objective, params double[] values)
    {
        if (values.Length != _dimensions.Count)
            throw new ArgumentException($"parallel coordinates '{Title}': trial {number} has {values.Length} values for {_dimensions.Count} axes");
        _trials.Add((number, objective, values));
        return this;
    }

    protected override void Draw(SvgWriter svg)
    {
        var complete = _trials.Where(t => double.IsFinite(t.Objective) && t.Values.All(double.IsFinite)).ToArray();
        var axes = new List<Axis> { LinearAxis.Fit(complete.Select(t => t.Objective).ToArray(), ObjectiveLabel) };
        for (int d = 0; d < _dimensions.Count; d++)
        {
            var (name, scale, categories) = _dimensions[d];
            axes.Add(categories is not null
                ? new CategoricalAxis(name, categories)
                : Axis.Fit(scale, complete.Select(t => t.Values[d]), name, null, $"parallel coordinates '{Title}': axis '{name}'"));
        }
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double AxisX(int i) => axes.Count == 1 ? plotWidth / 2 : plotWidth * i / (axes.Count - 1);

        DrawTitle(svg);
        svg.Open("svg", ("class", "plot-area"), ("x", SvgWriter.Px(Left)), ("y", SvgWriter.Px(Top)), ("width", SvgWriter.Px(plotWidth)),
            ("height", SvgWriter.Px(plotHeight)), ("overflow", "visible"), ("data-axes", axes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        for (int i = 0; i < axes.Count; i++)
        {
            svg.Open("g", ("class", "pc-axis"), ("data-name", axes[i].Label), ("data-scale", axes[i].Scale), ("data-x", SvgWriter.Px(AxisX(i))),
                ("data-min", SvgWriter.Data(axes[i].Min)), ("data-max", SvgWriter.Data(axes[i].Max)));
            AxisDrawing.Vertical(svg, axes[i], AxisX(i), 0, plotHeight);
            svg.Close("g");
        }
        var objective = axes[0];
        foreach (var (number, value, values) in complete)
        {
            var coordinates = new[] { value }.Concat(values)
                .Select((v, i) => $"{SvgWriter.Px(AxisX(i))},{SvgWriter.Px((1 - axes[i].Fraction(v)) * plotHeight)}");
            svg.Open("polyline", ("class", "mark trial"), ("data-trial", number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("data-objective", SvgWriter.Data(value)), ("data-values", string.Join(' ', values.Select(SvgWriter.Data))),
                ("points", string.Join(' ', coordinates)), ("fill", "none"), ("stroke", Palette.Ramp(objective.Fraction(value))), ("stroke-opacity", "0.75"), ("stroke-width", "1.5"));
            svg.Tooltip($"trial {number}: {ObjectiveLabel} {SvgWriter.Short(value)}");
            svg.Close("polyline");
        }
        svg.Close("svg");
        if (complete.Length == 0) DrawNoData(svg, Left + plotWidth / 2, Top + plotHeight / 2);
        else DrawColorBar(svg, objective, Left + plotWidth + 50, Top, plotHeight);
    }

    /// <summary>The colour scale as stacked rectangles (a gradient would need a document-wide id).</summary>
    private void DrawColorBar(SvgWriter svg, Axis objective, double x, double top, double height)
    {
        const int Steps = 24;
        for (int s = 0; s < Steps; s++)
            svg.Empty("rect", ("class", "color-bar"), ("x", SvgWriter.Px(x)), ("y", SvgWriter.Px(top + height * (Steps - 1 - s) / Steps)), ("width", "12"),
                ("height", SvgWriter.Px(height / Steps + 0.5)), ("fill", Palette.Ramp((s + 0.5) / Steps)));
        svg.Element("text", SvgWriter.Short(objective.Max), ("x", SvgWriter.Px(x + 16)), ("y", SvgWriter.Px(top + 8)));
        svg.Element("text", SvgWriter.Short(objective.Min), ("x", SvgWriter.Px(x + 16)), ("y", SvgWriter.Px(top + height)));
    }

    private void AddDimension(string name, AxisScale scale, string[]? categories)
    {
        if (_trials.Count > 0) throw new InvalidOperationException($"parallel coordinates '{Title}': add axis '{name}' before the trials");
        _dimensions.Add((name, scale, categories));
    }
}
