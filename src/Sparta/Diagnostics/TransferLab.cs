using System.Globalization;
using System.Text;
using Sparta.Charts;
using Sparta.Data;
using Sparta.Data.Preprocessing;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Training;

namespace Sparta.Diagnostics;

/// <summary>
/// The slides' transfer-learning table on real data: a base network (an MLP, or a zoo classifier: see
/// <see cref="TransferLabBase"/>) is trained on five classes of a data set (Fashion-MNIST's clothes:
/// T-shirt/top to Coat), then moved to the other five (Sandal to Ankle boot) with little and with much
/// data, training its new output layer only, some layers (its last stage), all layers, or the same
/// network from scratch. Each cell is the test accuracy on the new classes.
/// </summary>
public static class TransferLab
{
    public static IReadOnlyList<string> Strategies { get; } = ["head only", "some layers", "all layers", "from scratch"];

    /// <param name="BaseEpochs">Epochs of the base on its classes.</param>
    /// <param name="Epochs">Epochs of every transfer with much data.</param>
    /// <param name="LittleEpochs">Epochs with little data (a few batches each, so more of them).</param>
    /// <param name="LittlePerClass">Training samples per new class with little data.</param>
    /// <param name="MuchPerClass">Training samples per new class with much data (null: all).</param>
    /// <param name="BasePerClass">Training samples per base class (null: all).</param>
    /// <param name="TestSamples">Test samples of the new classes scored (null: all).</param>
    /// <param name="Base">The network (null: <see cref="TransferLabBase.Mlp"/>).</param>
    public sealed record Settings(int BaseEpochs = 5, int Epochs = 5, int LittleEpochs = 40, int LittlePerClass = 10, int? MuchPerClass = null,
        int? BasePerClass = null, int? TestSamples = null, int BatchSize = 64, double LearningRate = 1e-3, ulong Seed = 0, TransferLabBase? Base = null);

    /// <summary>One cell of the table: a strategy trained on <see cref="TrainSamples"/> samples of the new classes.</summary>
    public sealed record Cell(string Strategy, string Data, int TrainSamples, double TestAccuracy);

    /// <param name="Base">The base network as trained on its classes, before any transfer (each starts from a copy).</param>
    public sealed record Outcome(Model Base, IReadOnlyList<int> BaseClasses, IReadOnlyList<int> NewClasses, double BaseAccuracy, IReadOnlyList<Cell> Cells)
    {
        /// <summary>Strategies as rows, little and much data as columns, test accuracies in the cells.</summary>
        public string Table()
        {
            var columns = Cells.Select(c => (c.Data, c.TrainSamples)).Distinct().ToArray();
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{"",-14}");
            foreach (var (data, samples) in columns) text.Append(CultureInfo.InvariantCulture, $"{$"{data} ({samples})",22}");
            text.AppendLine();
            foreach (string strategy in Strategies)
            {
                text.Append(CultureInfo.InvariantCulture, $"{strategy,-14}");
                foreach (var (data, _) in columns)
                    text.Append(CultureInfo.InvariantCulture, $"{Cells.Single(c => c.Strategy == strategy && c.Data == data).TestAccuracy,22:F4}");
                text.AppendLine();
            }
            return text.ToString();
        }

        /// <summary>One bar per cell, grouped by data regime.</summary>
        public BarChart Chart()
        {
            var chart = new BarChart("Transfer learning: test accuracy on the new classes", "test accuracy");
            foreach (var cell in Cells.OrderBy(c => c.TrainSamples))
                chart.Bar($"{cell.Data}: {cell.Strategy}", cell.TestAccuracy, $"{cell.Strategy}, {cell.TrainSamples} samples: {cell.TestAccuracy:F4}");
            return chart;
        }
    }

    /// <summary>
    /// Runs the lab on a classification set's <paramref name="train"/> and <paramref name="test"/>
    /// splits (one input, raw values): the first half of the classes is the base's task, the rest the new one.
    /// <paramref name="trained"/>, when given, sees each cell's model once it is trained.
    /// </summary>
    public static Outcome Run(Dataset train, Dataset test, Settings settings, TextWriter? log = null, Action<Cell, Model>? trained = null)
    {
        if (train.Labels is null || train.ClassCount < 4) throw new ArgumentException($"lab transfer: needs a classification set of at least 4 classes, got {train.ClassCount}");
        int half = train.ClassCount / 2;
        int[] baseClasses = Enumerable.Range(0, half).ToArray(), newClasses = Enumerable.Range(half, train.ClassCount - half).ToArray();
        var baseTrain = Classes(train, baseClasses, settings.BasePerClass);
        // The base's preprocessing travels with it, as a saved model's does.
        string input = train.Inputs[0].Name;
        var pipeline = PreprocessingPipeline.FromConfig([new PreprocessorConfig("standardize", new Dictionary<string, string>())]);
        baseTrain = pipeline.FitApply(input, baseTrain)[0];
        Dataset Prepared(Dataset d) => d.WithInput(input, pipeline.Transform(d.Input(input)));

        var network = settings.Base ?? TransferLabBase.Mlp;
        var baseModel = network.Build(train.Inputs[0].Data.Shape.ToArray()[1..], half, "base", settings.Seed);
        var baseTrainer = Fit(baseModel, baseTrain, settings.BaseEpochs, settings);
        double baseAccuracy = baseTrainer.Evaluate(Prepared(Classes(test, baseClasses, null, settings.TestSamples)))["accuracy"];
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"base: classes {string.Join(", ", baseClasses)}, {baseTrain.Count} samples, {settings.BaseEpochs} epochs, test accuracy {baseAccuracy:F4}"));

        var newTest = Prepared(Classes(test, newClasses, null, settings.TestSamples));
        var frozenInSomeLayers = network.FrozenInSomeLayers(baseModel);
        var cells = new List<Cell>();
        foreach (var (data, perClass, epochs) in new[] { ("little data", (int?)settings.LittlePerClass, settings.LittleEpochs), ("much data", settings.MuchPerClass, settings.Epochs) })
        {
            var newTrain = Prepared(Classes(train, newClasses, perClass));
            foreach (string strategy in Strategies)
            {
                // Each transfer replaces the base's classifier (its last layer) with a new one.
                Model NewHead(string name, bool? freezeAll = null, IReadOnlyCollection<string>? freezeLayers = null) =>
                    Copy(baseModel).Transfer(null, [new Dense(newClasses.Length, name: "new_output")], name, settings.Seed + 1, freezeAll, freezeLayers);
                var model = strategy switch
                {
                    "head only" => NewHead("head-only", freezeAll: true),
                    "some layers" => NewHead("some-layers", freezeLayers: frozenInSomeLayers),
                    "all layers" => NewHead("all-layers", freezeAll: false),
                    _ => network.Build(baseModel.InputShapes[0].ToArray(), newClasses.Length, "scratch", settings.Seed + 1),
                };
                double accuracy = Fit(model, newTrain, epochs, settings).Evaluate(newTest)["accuracy"];
                var cell = new Cell(strategy, data, newTrain.Count, accuracy);
                cells.Add(cell);
                trained?.Invoke(cell, model);
                log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data} ({newTrain.Count} samples, {epochs} epochs), {strategy}: test accuracy {accuracy:F4}"));
            }
        }
        return new Outcome(baseModel, baseClasses, newClasses, baseAccuracy, cells);
    }

    private static Trainer Fit(Model model, Dataset data, int epochs, Settings settings)
    {
        var trainer = model.Compile(new Adam(settings.LearningRate), "sparse_categorical_crossentropy", "accuracy");
        trainer.Fit(data, epochs, settings.BatchSize, seed: settings.Seed, verbose: false);
        return trainer;
    }

    /// <summary>The model with its own copy of every layer and weight, so each strategy starts from the same base.</summary>
    private static Model Copy(Model model)
    {
        var copy = Model.FromConfig(model.GetConfig());
        copy.SetWeights(model.GetWeights());
        return copy;
    }

    /// <summary>
    /// The samples of <paramref name="classes"/>, relabeled 0..k−1 in that order: the first
    /// <paramref name="perClass"/> of each class (all when null), at most <paramref name="total"/> in all.
    /// </summary>
    internal static Dataset Classes(Dataset data, int[] classes, int? perClass, int? total = null)
    {
        var taken = new int[data.ClassCount];
        var indices = new List<int>();
        for (int i = 0; i < data.Count && indices.Count < (total ?? int.MaxValue); i++)
        {
            int label = data.Labels![i];
            if (Array.IndexOf(classes, label) >= 0 && taken[label]++ < (perClass ?? int.MaxValue)) indices.Add(i);
        }
        var subset = data.Subset(indices.ToArray());
        var labels = subset.Labels!.Select(l => Array.IndexOf(classes, l)).ToArray();
        return Dataset.Classification(subset.Inputs, labels, classes.Length);
    }
}
