using Sparta.Data;
using Sparta.Layers;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training;

namespace Sparta.Tests.Training;

/// <summary>
/// A model with two heads on one hidden layer, a classifier ("kind", 3 classes) and a regression ("size",
/// 2 values), trained on the weighted sum of their losses as Keras' per-output compile does.
/// </summary>
public class MultiOutputTrainingTests
{
    private const int Samples = 40;
    private const double KindWeight = 0.7, SizeWeight = 0.3;

    private static Model TwoHeads(ulong seed = 5)
    {
        var input = Model.Input([4], "x");
        var hidden = new Dense(6, "tanh", name: "hidden").Call(input);
        return new Model([input], [new Dense(3, "linear", name: "kind").Call(hidden), new Dense(2, "linear", name: "size").Call(hidden)], "two_heads", seed);
    }

    private static (Tensor X, int[] Labels, Tensor Sizes, Dataset Data) Data()
    {
        var random = new RandomGenerator(17);
        var x = Tensor.Zeros(Samples, 4);
        var sizes = Tensor.Zeros(Samples, 2);
        var labels = new int[Samples];
        for (int i = 0; i < x.Size; i++) x.Span[i] = (float)random.Normal();
        for (int i = 0; i < sizes.Size; i++) sizes.Span[i] = (float)(2 * random.Normal());
        for (int i = 0; i < Samples; i++) labels[i] = i % 3;
        (string, Tensor)[] inputs = [("x", x)];
        var data = Dataset.PerOutput(inputs, [("size", new Dataset(inputs, sizes)), ("kind", Dataset.Classification(inputs, labels, 3))]);
        return (x, labels, sizes, data);
    }

    private static OutputLoss[] Objective() =>
    [
        new("kind", new SparseCategoricalCrossEntropy(), KindWeight, [new Accuracy()]),
        new("size", new MeanSquaredError(), SizeWeight),
    ];

    [Fact]
    public void TheTotalLossIsTheWeightedSumOfEachOutputsLossComputedByHand()
    {
        var model = TwoHeads();
        var (x, labels, sizes, data) = Data();
        var scores = Trainer.Evaluate(model, Objective(), data, batchSize: 16);

        var outputs = model.ForwardOutputs([x]);
        var logits = outputs[0].Span;
        var predicted = outputs[1].Span;
        double crossEntropy = 0, squares = 0, correct = 0;
        for (int i = 0; i < Samples; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            int best = 0;
            for (int k = 0; k < 3; k++)
            {
                max = Math.Max(max, logits[i * 3 + k]);
                if (logits[i * 3 + k] > logits[i * 3 + best]) best = k;
            }
            for (int k = 0; k < 3; k++) sum += Math.Exp(logits[i * 3 + k] - max);
            crossEntropy += Math.Log(sum) + max - logits[i * 3 + labels[i]];
            correct += best == labels[i] ? 1 : 0;
            for (int k = 0; k < 2; k++) squares += Math.Pow(predicted[i * 2 + k] - sizes.Span[i * 2 + k], 2);
        }
        double kind = crossEntropy / Samples, size = squares / (Samples * 2);
        Assert.Equal(kind, scores["kind_loss"], 4);
        Assert.Equal(size, scores["size_loss"], 4);
        Assert.Equal(KindWeight * kind + SizeWeight * size, scores["loss"], 4);
        Assert.Equal(correct / Samples, scores["kind_accuracy"], 10);
    }

    [Fact]
    public void GradientsThroughBothHeadsMatchFiniteDifferencesOfTheWeightedLoss()
    {
        var model = TwoHeads();
        var (_, _, _, data) = Data();
        var objective = Sparta.Training.Objective.PerOutput(model, Objective());
        var total = objective.Loss(model.ForwardOutputs([data.Inputs[0].Data], training: true), data.Target, objective.Columns(data), Samples);
        total.Backward();
        const float step = 1e-2f;
        // Weights of the shared layer (the gradient sums both heads') and of each head.
        foreach (var parameter in model.Parameters)
        {
            var gradient = parameter.Gradient.Span.ToArray();
            for (int j = 0; j < parameter.Value.Size; j += 3)
            {
                float kept = parameter.Value.Span[j];
                parameter.Value.Span[j] = kept + step;
                double up = Trainer.Evaluate(model, Objective(), data, Samples)["loss"];
                parameter.Value.Span[j] = kept - step;
                double down = Trainer.Evaluate(model, Objective(), data, Samples)["loss"];
                parameter.Value.Span[j] = kept;
                double numeric = (up - down) / (2 * step);
                Assert.True(Math.Abs(numeric - gradient[j]) <= 2e-3 + 0.02 * Math.Abs(numeric),
                    $"{parameter.Name}[{j}]: backward {gradient[j]}, finite difference {numeric}");
            }
        }
    }

    [Fact]
    public void FitLogsEachOutputsLossAndMetricsUnderItsNameAsKerasDoes()
    {
        var (_, _, _, data) = Data();
        var trainer = new Trainer(TwoHeads(), new Adam(0.01), Objective());
        var history = trainer.Fit(data, epochs: 3, batchSize: 8, validationSplit: 0.25, seed: 1, verbose: false);
        foreach (string key in new[] { "loss", "kind_loss", "size_loss", "kind_accuracy", "val_loss", "val_kind_loss", "val_size_loss", "val_kind_accuracy" })
            Assert.True(history.Contains(key), $"no '{key}' in {string.Join(", ", history.Keys)}");
        Assert.True(history["loss"][2] < history["loss"][0]);
        Assert.False(trainer.HigherIsBetter("val_size_loss"));
        Assert.True(trainer.HigherIsBetter("val_kind_accuracy"));
    }

    [Fact]
    public void TheSameSeedGivesTheSameHistoryAndTheLossWeightsChangeWhatIsLearned()
    {
        var (_, _, _, data) = Data();
        History Fit(OutputLoss[] objective) => new Trainer(TwoHeads(), new Adam(0.01), objective).Fit(data, epochs: 2, batchSize: 8, seed: 3, verbose: false);
        Assert.Equal(Fit(Objective())["loss"], Fit(Objective())["loss"]);
        var sizeOnly = Fit([new("kind", new SparseCategoricalCrossEntropy(), 0), new("size", new MeanSquaredError(), 1)]);
        var kindOnly = Fit([new("kind", new SparseCategoricalCrossEntropy(), 1), new("size", new MeanSquaredError(), 0)]);
        Assert.Equal(sizeOnly["size_loss"][1], sizeOnly["loss"][1], 6);
        Assert.Equal(kindOnly["kind_loss"][1], kindOnly["loss"][1], 6);
        Assert.True(sizeOnly["size_loss"][1] < kindOnly["size_loss"][1]);
    }

    [Theory]
    [InlineData("shape", "trainer: model 'two_heads' has no output 'shape'")]
    [InlineData("missing", "trainer: output 'size' of model 'two_heads' needs exactly one loss, got 0")]
    public void AnObjectiveThatDoesNotFitTheOutputsFailsNamingThem(string mistake, string expected)
    {
        OutputLoss[] objective = mistake == "shape"
            ? [.. Objective(), new("shape", new MeanSquaredError())]
            : [Objective()[0]];
        var e = Assert.Throws<ArgumentException>(() => new Trainer(TwoHeads(), new Adam(0.01), objective));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void DataWithoutATargetPerOutputIsRefusedNamingTheOutputs()
    {
        var (x, labels, _, _) = Data();
        var trainer = new Trainer(TwoHeads(), new Adam(0.01), Objective());
        var one = Dataset.Classification([("x", x)], labels, 3);
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(one, epochs: 1, verbose: false));
        Assert.Contains("2 outputs (kind, size)", e.Message);
        var kindOnly = Dataset.PerOutput([("x", x)], [("kind", one)]);
        e = Assert.Throws<ArgumentException>(() => trainer.Fit(kindOnly, epochs: 1, verbose: false));
        Assert.Contains("no target for output 'size'", e.Message);
    }
}
