using Sparta.Configuration;
using Sparta.Metrics;
using Sparta.Tensors;

namespace Sparta.Tests.Metrics;

public class ClassificationMetricTests
{
    // Three classes; confusion matrix (rows true, columns predicted):
    //   [1 1 0]
    //   [0 2 0]
    //   [1 0 2]
    private static readonly int[] TrueLabels = [0, 0, 1, 1, 2, 2, 2];
    private static readonly int[] PredictedLabels = [0, 1, 1, 1, 2, 0, 2];

    [Fact]
    public void SparseCategoricalAndBinaryAccuracy()
    {
        var scores = Tensor.FromArray([0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f], 3, 2);
        Assert.Equal(2.0 / 3, Evaluate(new Accuracy(), Tensor.FromArray([1f, 1f, 1f], 3), scores), 12);
        Assert.Equal(2.0 / 3, Evaluate(new Accuracy("categorical_accuracy"), Tensor.FromArray([0f, 1f, 0f, 1f, 0f, 1f], 3, 2), scores), 12);
        var probabilities = Tensor.FromArray([0.2f, 0.6f, 0.9f, 0.4f], 4, 1);
        Assert.Equal(0.75, Evaluate(new Accuracy("binary_accuracy"), Tensor.FromArray([0f, 1f, 0f, 0f], 4, 1), probabilities), 12);
    }

    [Fact]
    public void AccuracyStreamsOverBatches()
    {
        var metric = new Accuracy();
        metric.Update(Tensor.FromArray([1f, 0f], 2), Tensor.FromArray([0.1f, 0.9f, 0.8f, 0.2f], 2, 2));
        metric.Update(Tensor.FromArray([1f, 1f, 0f], 3), Tensor.FromArray([0.1f, 0.9f, 0.8f, 0.2f, 0.6f, 0.4f], 3, 2));
        Assert.Equal(4.0 / 5, metric.Result(), 12);
        metric.Reset();
        Assert.Equal(0, metric.Result());
    }

    [Fact]
    public void ConfusionMatrixCounts()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Update(TrueLabels, PredictedLabels);
        long[,] expected = { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 2 } };
        for (int t = 0; t < 3; t++)
            for (int p = 0; p < 3; p++) Assert.Equal(expected[t, p], matrix[t, p]);
        Assert.Equal(5.0 / 7, matrix.Accuracy(), 12);
    }

    [Fact]
    public void PrecisionRecallAndF1PerClassAndMacro()
    {
        double[] precision = [1.0 / 2, 2.0 / 3, 1.0];
        double[] recall = [1.0 / 2, 1.0, 2.0 / 3];
        double[] f1 = precision.Zip(recall, (p, r) => 2 * p * r / (p + r)).ToArray();

        var p3 = Fill(new Precision(3));
        var r3 = Fill(new Recall(3));
        var f3 = Fill(new F1Score());
        AssertAll(precision, p3.ResultPerClass());
        AssertAll(recall, r3.ResultPerClass());
        AssertAll(f1, f3.ResultPerClass());
        Assert.Equal("macro", f3.Average);
        Assert.Equal(precision.Average(), p3.Result(), 12);
        Assert.Equal(recall.Average(), r3.Result(), 12);
        Assert.Equal(f1.Average(), f3.Result(), 12);
    }

    [Fact]
    public void MicroAverageOfSingleLabelClassesIsAccuracyAndWeightedUsesSupport()
    {
        Assert.Equal(5.0 / 7, Fill(new F1Score(3, "micro")).Result(), 12);
        Assert.Equal(5.0 / 7, Fill(new Precision(3, "micro")).Result(), 12);
        double[] f1 = [0.5, 0.8, 0.8];
        double[] support = [2, 2, 3];
        Assert.Equal(f1.Zip(support, (f, s) => f * s).Sum() / 7, Fill(new F1Score(3, "weighted")).Result(), 12);
    }

    [Fact]
    public void BinaryScoresUseThePositiveClass()
    {
        // Scores above 0.5 predict 1: predicted 1,1,0,1,0 against 1,0,1,1,0 → TP 2, FP 1, FN 1.
        var scores = Tensor.FromArray([0.9f, 0.8f, 0.3f, 0.6f, 0.1f], 5);
        var targets = Tensor.FromArray([1f, 0f, 1f, 1f, 0f], 5);
        Assert.Equal(2.0 / 3, Evaluate(new Precision(), targets, scores), 12);
        Assert.Equal(2.0 / 3, Evaluate(new Recall(), targets, scores), 12);
        var f1 = new F1Score();
        Assert.Equal(2.0 / 3, Evaluate(f1, targets, scores), 12);
        Assert.Equal("binary", f1.Average);
        // Threshold 0.2 predicts 1,1,1,1,0 → TP 3, FP 1.
        Assert.Equal(3.0 / 4, Evaluate(new Precision(threshold: 0.2), targets, scores), 12);
    }

    [Fact]
    public void MaskIoUPerClassAndMean()
    {
        // Channel-first scores [N=1, C=2, H=2, W=2] predicting the mask [[0, 0], [1, 1]]; target [[0, 1], [1, 1]].
        var scores = Tensor.FromArray([0.9f, 0.8f, 0.1f, 0.2f, /* class 1 */ 0.1f, 0.2f, 0.9f, 0.8f], 1, 2, 2, 2);
        var mask = Tensor.FromArray([0f, 1f, 1f, 1f], 1, 2, 2);
        var iou = new MeanIoU();
        iou.Update(mask, scores);
        AssertAll([1.0 / 2, 2.0 / 3], iou.ResultPerClass());
        Assert.Equal((0.5 + 2.0 / 3) / 2, iou.Result(), 12);
    }

    [Fact]
    public void MeanIoUSkipsClassesAbsentFromTargetsAndPredictions()
    {
        var iou = new MeanIoU(3);
        iou.Update(Tensor.FromArray([0f, 1f, 1f], 3), OneHot([0, 1, 0], 3));
        // class 0: TP 1, FP 1 → 1/2; class 1: TP 1, FN 1 → 1/2; class 2 absent.
        Assert.Equal(0.5, iou.Result(), 12);
    }

    [Fact]
    public void BoxIoU()
    {
        Assert.Equal(1.0 / 7, Sparta.Metrics.BoxIoU.Of([0, 0, 2, 2], [1, 1, 3, 3]), 12);
        Assert.Equal(0, Sparta.Metrics.BoxIoU.Of([0, 0, 1, 1], [2, 2, 3, 3]));
        Assert.Equal(1, Sparta.Metrics.BoxIoU.Of([1, 2, 4, 6], [1, 2, 4, 6]));
        var pairwise = new double[2];
        Sparta.Metrics.BoxIoU.Pairwise([0, 0, 2, 2], [1, 1, 3, 3, 0, 0, 2, 1], pairwise);
        Assert.Equal([1.0 / 7, 0.5], pairwise);
    }

    [Theory]
    [InlineData("accuracy")]
    [InlineData("binary_accuracy")]
    [InlineData("precision")]
    [InlineData("recall")]
    [InlineData("f1")]
    [InlineData("iou")]
    [InlineData("map")]
    [InlineData("mse")]
    [InlineData("mae")]
    [InlineData("rmse")]
    [InlineData("mase")]
    [InlineData("r2")]
    [InlineData("ccc")]
    public void ConfigRoundTrips(string name)
    {
        var config = MetricRegistry.Create(name).GetConfig();
        Assert.Equal(name, config.Name);
        Assert.Equal(config, MetricRegistry.Create(ComponentConfig.FromJson(config.ToJson())).GetConfig());
    }

    [Fact]
    public void ScoresRiseAndErrorsFall()
    {
        string[] higher = ["accuracy", "precision", "recall", "f1", "iou", "map", "r2", "ccc"];
        string[] lower = ["mse", "mae", "rmse", "mase"];
        Assert.All(higher, n => Assert.True(MetricRegistry.Create(n).HigherIsBetter, n));
        Assert.All(lower, n => Assert.False(MetricRegistry.Create(n).HigherIsBetter, n));
    }

    [Fact]
    public void ConfiguredClassCountAndAverageRoundTrip()
    {
        var config = new F1Score(10, "weighted").GetConfig();
        var copy = (F1Score)MetricRegistry.Create(config);
        Assert.Equal(10, copy.Classes);
        Assert.Equal("weighted", copy.Average);
    }

    [Fact]
    public void BadInputsAreOneLineErrors()
    {
        AssertError(() => new Precision(1), "num_classes", "1");
        AssertError(() => new F1Score(3, "mcro"), "average", "'mcro'");
        AssertError(() => new F1Score(3, "binary"), "binary", "3");
        AssertError(() => MetricRegistry.Create("acuracy"), "'acuracy'", "accuracy");
        AssertError(() => new Accuracy().Update(Tensor.FromArray([2f], 1), Tensor.FromArray([0.1f, 0.9f], 1, 2)), "y_true[0]", "2");
        AssertError(() => new Accuracy().Update(Tensor.FromArray([1f, 0f, 1f], 3), Tensor.FromArray([0.1f, 0.9f], 1, 2)), "y_true", "(3)");
    }

    private static void AssertError(Action action, string argument, string value)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(argument, e.Message);
        Assert.Contains(value, e.Message);
    }

    private static T Fill<T>(T metric) where T : ConfusionMetric
    {
        // In two batches, with one-hot predictions of the predicted labels.
        metric.Update(Tensor.FromArray(TrueLabels[..3].Select(l => (float)l).ToArray(), 3), OneHot(PredictedLabels[..3], 3));
        metric.Update(Tensor.FromArray(TrueLabels[3..].Select(l => (float)l).ToArray(), 4), OneHot(PredictedLabels[3..], 3));
        return metric;
    }

    private static Tensor OneHot(int[] labels, int classes)
    {
        var t = Tensor.Zeros(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++) t.Span[i * classes + labels[i]] = 1;
        return t;
    }

    private static double Evaluate(Metric metric, Tensor yTrue, Tensor yPred)
    {
        metric.Update(yTrue, yPred);
        return metric.Result();
    }

    private static void AssertAll(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}
