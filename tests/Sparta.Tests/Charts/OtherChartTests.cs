using Sparta.Charts;

namespace Sparta.Tests.Charts;

public class OtherChartTests
{
    [Fact]
    public void BarLengthsAreProportionalToTheirValues()
    {
        var importances = new[] { ("learning_rate", 0.62), ("units", 0.25), ("dropout <p>", 0.13) };
        var chart = new BarChart("importance", "importance");
        foreach (var (name, value) in importances) chart.Bar(name, value);
        var svg = SvgProbe.Parse(chart.ToSvg());
        var bars = svg.Marks("bar").ToArray();
        Assert.Equal(importances.Select(i => i.Item1), bars.Select(b => (string)b.Attribute("data-category")!));
        foreach (var bar in bars)
        {
            var area = bar.Area();
            double value = bar.Number("data-value");
            Assert.Equal(0, area.DataX(bar.Number("x")), area.XTolerance(0));
            Assert.Equal(value, area.DataX(bar.Number("x") + bar.Number("width")), 2 * area.XTolerance(value));
        }
        Assert.True(bars[0].Number("y") < bars[1].Number("y"), "bars keep the order given, top to bottom");
        Assert.Contains("dropout <p>", svg.WithClass("category").Select(c => c.Value));
    }

    [Fact]
    public void AnEmptyBarChartSaysNoData() =>
        Assert.Single(SvgProbe.Parse(new BarChart("importance", "importance").ToSvg()).WithClass("no-data"));

    [Fact]
    public void ParallelCoordinatesMapEveryTrialThroughEachAxisKind()
    {
        var chart = new ParallelCoordinatesChart("params", "val_loss")
            .Numeric("learning_rate", AxisScale.Log).Numeric("units").Categorical("activation", ["relu", "tanh", "sigmoid"]);
        var trials = new[] { (0, 0.9, new[] { 1e-4, 32.0, 0 }), (1, 0.4, new[] { 1e-2, 128.0, 2 }), (2, 0.6, new[] { 3e-3, 64.0, 1 }) };
        foreach (var (n, objective, values) in trials) chart.Trial(n, objective, values);
        chart.Trial(3, 0.1, 1e-3, double.NaN, 0);  // lacks a parameter: left out

        var svg = SvgProbe.Parse(chart.ToSvg());
        var axes = svg.WithClass("pc-axis").ToArray();
        Assert.Equal(new[] { "linear", "log", "linear", "category" }, axes.Select(a => (string)a.Attribute("data-scale")!));
        double height = svg.WithClass("plot-area").Single().Number("height");
        var lines = svg.Marks("trial").ToArray();
        Assert.Equal(new[] { "0", "1", "2" }, lines.Select(l => (string)l.Attribute("data-trial")!));
        foreach (var line in lines)
        {
            var values = new[] { line.Number("data-objective") }.Concat(line.Numbers("data-values")).ToArray();
            var vertices = ((string)line.Attribute("points")!).Split(' ').Select(p => p.Split(',').Select(double.Parse).ToArray()).ToArray();
            Assert.Equal(axes.Length, vertices.Length);
            for (int i = 0; i < axes.Length; i++)
            {
                Assert.Equal(axes[i].Number("data-x"), vertices[i][0], 2);
                double min = axes[i].Number("data-min"), max = axes[i].Number("data-max"), fraction = 1 - vertices[i][1] / height;
                double data = (string)axes[i].Attribute("data-scale")! == "log"
                    ? Math.Pow(10, Math.Log10(min) + fraction * Math.Log10(max / min))
                    : min + fraction * (max - min);
                Assert.Equal(values[i], data, Math.Abs(values[i]) * 1e-3 + (max - min) * 1e-4);
            }
        }
        Assert.NotEqual((string)lines[0].Attribute("stroke")!, (string)lines[1].Attribute("stroke")!);
    }

    [Fact]
    public void ParallelCoordinatesRejectAWrongNumberOfValues()
    {
        var chart = new ParallelCoordinatesChart("p", "loss").Numeric("a").Numeric("b");
        Assert.Contains("trial 7 has 1 values for 2 axes", Assert.Throws<ArgumentException>(() => chart.Trial(7, 0.5, 1.0)).Message);
    }

    [Fact]
    public void AGridNestsEachChartInItsCell()
    {
        var grid = new ChartGrid("curves", columns: 2)
            .Add(new XYChart("loss", "epoch", "loss").Line("loss", [(1, 2), (2, 1)]))
            .Add(new XYChart("accuracy", "epoch", "accuracy").Line("accuracy", [(1, 0.5), (2, 0.7)]))
            .Add(new XYChart("lr", "epoch", "lr").Line("lr", [(1, 0.1), (2, 0.01)]));
        var svg = SvgProbe.Parse(grid.ToSvg());
        var cells = svg.Root!.Elements().Where(e => (string?)e.Attribute("class") == "chart").ToArray();
        Assert.Equal(new[] { "loss", "accuracy", "lr" }, cells.Select(c => (string)c.Attribute("data-title")!));
        Assert.Equal(new[] { 0.0, 640, 0 }, cells.Select(c => c.Number("x")));
        Assert.Equal(1280, svg.Root.Number("width"));
        Assert.Equal(6, svg.Marks("point").Count());
    }

    [Fact]
    public void NiceStepsAreOneTwoOrFiveTimesAPowerOfTen()
    {
        Assert.Equal(0.2, NiceStep.For(1), 12);
        Assert.Equal(20, NiceStep.For(90), 12);
        Assert.Equal(5e-4, NiceStep.For(0.0031), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => NiceStep.For(0));
    }
}
