using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Regularizers;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void SeparableClassesAreLearned()
    {
        var train = TrainingData.Blobs(300, 1);
        var test = TrainingData.Blobs(200, 2);
        var trainer = TrainingData.Classifier(7).Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(train, epochs: 15, batchSize: 32, seed: 3, verbose: false);
        Assert.Equal(Enumerable.Range(1, 15), history.Epochs);
        Assert.True(history["loss"][^1] < history["loss"][0] / 4, $"loss went from {history["loss"][0]} to {history["loss"][^1]}");
        Assert.True(trainer.Evaluate(test)["accuracy"] > 0.97);
    }

    [Fact]
    public void SameSeedGivesSameHistoryAndWeightsWhateverTheThreadCount()
    {
        (Model, History) Run(int threads)
        {
            using var threadCount = Parallelism.Scope(threads);
            var model = TrainingData.Classifier(11, dropout: true);
            var trainer = model.Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
            return (model, trainer.Fit(TrainingData.Blobs(200, 4), epochs: 3, batchSize: 16, validationSplit: 0.25, seed: 5, verbose: false));
        }
        var (first, firstHistory) = Run(1);
        var (second, secondHistory) = Run(2);
        TrainingData.AssertSameHistory(firstHistory, secondHistory);
        TrainingData.AssertSameWeights(first, second);
        var (other, _) = Run(1);
        Assert.NotEqual(first.GetWeights()["dense/kernel"].ToArray(), TrainingData.Classifier(11, dropout: true).GetWeights()["dense/kernel"].ToArray());
        TrainingData.AssertSameWeights(first, other);
    }

    [Fact]
    public void ValidationHistoryEqualsAnIndependentEvaluation()
    {
        var train = TrainingData.Blobs(120, 6);
        var validation = TrainingData.Blobs(50, 8);
        var model = TrainingData.Classifier(2);
        var trainer = model.Compile(new Sgd(0.05), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(train, epochs: 2, batchSize: 16, validationData: validation, seed: 1, verbose: false);

        // Recompute from the model's outputs, in double, without the metric and loss classes.
        Tensor logits;
        using (Tape.NoGrad()) logits = model.Forward(validation.Input("input"));
        double crossEntropy = 0;
        int correct = 0;
        for (int i = 0; i < validation.Count; i++)
        {
            var row = logits.Span.Slice(3 * i, 3).ToArray().Select(v => (double)v).ToArray();
            double max = row.Max(), logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            crossEntropy += logSum - row[validation.Labels![i]];
            if (Array.IndexOf(row, max) == validation.Labels[i]) correct++;
        }
        Assert.Equal(crossEntropy / validation.Count, history["val_loss"][^1], 4);
        Assert.Equal((double)correct / validation.Count, history["val_accuracy"][^1], 12);
        var evaluation = trainer.Evaluate(validation, batchSize: 7);
        Assert.Equal(evaluation["loss"], history["val_loss"][^1], 5);
        Assert.Equal(evaluation["accuracy"], history["val_accuracy"][^1], 12);
        Assert.Equal([0.05, 0.05], history["learning_rate"]);
        Assert.All(history["epoch_seconds"], s => Assert.True(s > 0));
    }

    [Fact]
    public void ReportedLossIncludesPenaltiesAndDataLossLeavesThemOut()
    {
        const double l2 = 0.01;
        var model = new Sequential([2], [new Dense(3, kernelRegularizer: new L1L2(0, l2))], "regularized", 4);
        var trainer = model.Compile(new Sgd(0.1), "sparse_categorical_crossentropy");
        var data = TrainingData.Blobs(60, 9);
        var history = trainer.Fit(data, epochs: 2, batchSize: 20, seed: 2, verbose: false);
        Assert.True(history.Contains("data_loss"));
        Assert.True(history["loss"][^1] > history["data_loss"][^1]);

        var evaluation = trainer.Evaluate(data);
        double squares = model.GetWeights()["dense/kernel"].ToArray().Sum(w => (double)w * w);
        Assert.Equal(l2 * squares, evaluation["loss"] - evaluation["data_loss"], 5);
        var plain = TrainingData.Classifier(1).Compile(new Sgd(0.1), "sparse_categorical_crossentropy").Fit(data, 1, 20, verbose: false);
        Assert.False(plain.Contains("data_loss"));
    }

    [Fact]
    public void PredictInBatchesEqualsOneForwardPass()
    {
        var model = TrainingData.Classifier(5);
        var trainer = model.Compile(new Adam(), "sparse_categorical_crossentropy");
        var x = TrainingData.Blobs(23, 1).Input("input");
        Tensor expected;
        using (Tape.NoGrad()) expected = model.Forward(x);
        Assert.Equal(expected.ToArray(), trainer.Predict(x, batchSize: 5).ToArray());
        Assert.Equal(expected.ToArray(), trainer.Predict(new Dictionary<string, Tensor> { ["input"] = x }, batchSize: 100).ToArray());
        var error = Assert.Throws<ArgumentException>(() => trainer.Predict(new Dictionary<string, Tensor> { ["inptu"] = x }));
        Assert.Contains("inptu", error.Message);
    }

    [Fact]
    public void PredictOnADatasetTakesItsInputsInOrderAsFitDoesWhateverTheirName()
    {
        var model = TrainingData.Classifier(5);
        var trainer = model.Compile(new Adam(), "sparse_categorical_crossentropy");
        var data = TrainingData.Blobs(23, 1);
        var x = data.Input("input");
        Tensor expected;
        using (Tape.NoGrad()) expected = model.Forward(x);
        // A dataset whose input the model knows by another name (a loader's "image", say): Fit and Evaluate take it, so does Predict.
        var renamed = new Sparta.Data.Dataset([("image", x)], data.Target, data.Labels, data.ClassCount);
        Assert.Equal(expected.ToArray(), trainer.Predict(renamed, batchSize: 7).ToArray());
        var two = new Sparta.Data.Dataset([("image", x), ("extra", x)], data.Target, data.Labels, data.ClassCount);
        var error = Assert.Throws<ArgumentException>(() => trainer.Predict(two));
        Assert.Contains("takes 1 input(s) (input), the data has 2 (image, extra)", error.Message);
    }

    [Fact]
    public void OneHotTargetsAreMadeForCategoricalCrossEntropy()
    {
        var data = TrainingData.Blobs(90, 3);
        var sparse = TrainingData.Classifier(8).Compile(new Sgd(0.1), new SparseCategoricalCrossEntropy(), [new Accuracy()]);
        var dense = TrainingData.Classifier(8).Compile(new Sgd(0.1), new CategoricalCrossEntropy(), [new Accuracy()]);
        var a = sparse.Fit(data, 2, 30, seed: 1, verbose: false);
        var b = dense.Fit(data, 2, 30, seed: 1, verbose: false);
        for (int e = 0; e < 2; e++) Assert.Equal(a["loss"][e], b["loss"][e], 5);
        Assert.Equal(a["accuracy"], b["accuracy"]);
    }

    [Fact]
    public void VerboseLinesFollowTheSlidesForm()
    {
        var output = new StringWriter();
        var trainer = TrainingData.Classifier(3).Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        trainer.Fit(TrainingData.Blobs(40, 1), epochs: 2, batchSize: 10, validationSplit: 0.25, output: output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^epoch 001 loss: \d+\.\d{3} accuracy:\d\.\d{3} val_loss:\d+\.\d{3} val_accuracy:\d\.\d{3} lr:0\.01 time:\d+\.\ds$", lines[0]);
        Assert.StartsWith("epoch 002 loss: ", lines[1]);
        Assert.DoesNotContain("\r", output.ToString());
    }

    [Fact]
    public void BadArgumentsAreOneLineErrors()
    {
        var trainer = TrainingData.Classifier(3).Compile(new Adam(), "sparse_categorical_crossentropy", "accuracy");
        var data = TrainingData.Blobs(20, 1);
        Assert.Contains("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data, 1, batchSize: 0, verbose: false)).Message);
        Assert.Contains("validationSplit", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data, 1, validationSplit: 1.5, verbose: false)).Message);
        Assert.Contains("val_acuracy", Assert.Throws<ArgumentException>(() => trainer.HigherIsBetter("val_acuracy")).Message);
        Assert.Throws<ArgumentException>(() => TrainingData.Classifier(3).Compile(new Adam(), new MeanSquaredError(), [new Accuracy(), new Accuracy()]));
    }
}
