using Sparta.Charts;
using Sparta.Reports;
using Sparta.Tests.Charts;
using Sparta.Training;

namespace Sparta.Tests.Reports;

public class LearningCurvesTests
{
    private static History Logged(params (string Key, double[] Values)[] columns)
    {
        var history = new History();
        for (int epoch = 0; epoch < columns[0].Values.Length; epoch++)
            history.Add(epoch + 1, columns.ToDictionary(c => c.Key, c => c.Values[epoch]));
        return history;
    }

    [Fact]
    public void OneChartPerQuantityPairsTrainingWithValidation()
    {
        var history = Logged(("loss", [1.0, 0.5]), ("accuracy", [0.5, 0.8]), ("epoch_seconds", [0.1, 0.1]),
            ("val_loss", [1.1, 0.7]), ("val_accuracy", [0.4, 0.7]), ("val_top_k", [0.9, 0.95]), ("learning_rate", [0.1, 0.01]));
        var charts = LearningCurves.PerEpoch(history);
        Assert.Equal(new[] { "loss", "accuracy", "top_k", "learning rate" }, charts.Select(c => c.Title));
        Assert.Equal(new[] { "training", "validation" }, charts[0].Series.Select(s => s.Name));
        Assert.Equal(new[] { "validation" }, charts[2].Series.Select(s => s.Name));
        Assert.Equal(AxisScale.Log, charts[3].YScale);
    }

    [Fact]
    public void AConstantLearningRateGetsNoChart() =>
        Assert.DoesNotContain(LearningCurves.PerEpoch(Logged(("loss", [1.0, 0.5]), ("learning_rate", [0.1, 0.1]))), c => c.Title == "learning rate");

    [Fact]
    public void ADivergingLossIsDrawnOnALogAxis()
    {
        var chart = LearningCurves.PerEpoch(Logged(("loss", [2.3, 1e5, 1e12]), ("accuracy", [0.1, 0.1, 0.1])))[0];
        var svg = SvgProbe.Parse(chart.ToSvg());
        var points = svg.Marks("point").ToArray();
        Assert.Equal("log", (string)svg.WithClass("plot-area").Single().Attribute("data-y-scale")!);
        foreach (var point in points)
            Assert.Equal(point.Number("data-y"), point.Area().DataY(point.Number("cy")), point.Area().YTolerance(point.Number("data-y")));
        Assert.Equal(AxisScale.Linear, LearningCurves.ScaleFor([0.1, 0.1, 0.1]));
        Assert.Equal(AxisScale.Linear, LearningCurves.ScaleFor([0.0, 5, 1e6]));
    }
}
