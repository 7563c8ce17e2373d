using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Tensors;
using Sparta.Tests.Data;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Tests.Training;

public class CallbackTests
{
    /// <summary>Keeps a copy of the weights after every epoch (runs before the callbacks under test).</summary>
    private sealed class WeightRecorder : Callback
    {
        public Dictionary<int, Dictionary<string, Tensor>> Weights { get; } = [];

        public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs) =>
            Weights[epoch] = trainer.Model.GetWeights();
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights()
    {
        // Validation labels are rotated, so the better the model fits the training set, the worse
        // its validation loss: the best epoch is early and the run must stop after the patience.
        var train = TrainingData.Blobs(200, 1);
        var validation = TrainingData.Blobs(100, 2, flipLabels: true);
        var model = TrainingData.Classifier(4);
        var trainer = model.Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        var recorder = new WeightRecorder();
        var stopping = new EarlyStopping("val_loss", patience: 2, restoreBestWeights: true);
        var history = trainer.Fit(train, epochs: 30, batchSize: 20, validationData: validation, seed: 1, callbacks: [recorder, stopping], verbose: false);

        var valLoss = history["val_loss"];
        int best = history.Epochs[valLoss.ToList().IndexOf(valLoss.Min())];
        Assert.Equal(best, stopping.BestEpoch);
        Assert.Equal(best + 3, stopping.StoppedEpoch);
        Assert.Equal(best + 3, history.Epochs[^1]);
        Assert.Contains("early stopping", trainer.StopReason);
        foreach (var (name, tensor) in model.GetWeights())
            Assert.True(tensor.Span.SequenceEqual(recorder.Weights[best][name].Span), $"weight '{name}' is not the best epoch's");
        Assert.False(model.GetWeights()["dense/kernel"].Span.SequenceEqual(recorder.Weights[history.Epochs[^1]]["dense/kernel"].Span));
    }

    private sealed class BatchRecorder : Callback
    {
        public List<(int Epoch, int Batch)> Seen { get; } = [];
        private int _epoch;

        public override void OnEpochBegin(Trainer trainer, int epoch) => _epoch = epoch;

        public override void OnBatchEnd(Trainer trainer, int batch, double loss) => Seen.Add((_epoch, batch));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchEndCountsTheBatchesOfEachEpochFromZeroWithOrWithoutTheProgressLine(bool verbose)
    {
        var recorder = new BatchRecorder();
        TrainingData.Classifier(4).Compile(new Adam(0.01), "sparse_categorical_crossentropy")
            .Fit(TrainingData.Blobs(50, 1), epochs: 2, batchSize: 20, callbacks: [recorder], verbose: verbose, output: TextWriter.Null);
        Assert.Equal([(1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)], recorder.Seen);
    }

    [Fact]
    public void EarlyStoppingOnAccuracyWaitsForAnIncrease()
    {
        var trainer = TrainingData.Classifier(4).Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        var stopping = new EarlyStopping("accuracy", patience: 1);
        var history = trainer.Fit(TrainingData.Blobs(100, 1), epochs: 40, batchSize: 20, seed: 1, callbacks: [stopping], verbose: false);
        // Accuracy reaches 1 and cannot rise further: a "min" mode would have stopped at epoch 2.
        Assert.Equal(history["accuracy"].Max(), stopping.Best);
        Assert.True(stopping.StoppedEpoch > stopping.BestEpoch);
        Assert.Equal(1.0, stopping.Best);
    }

    [Fact]
    public void DivergenceGuardStopsAHugeLearningRateAndSaysSo()
    {
        var model = new Sequential([2], [new Sparta.Layers.Dense(8, "relu"), new Sparta.Layers.Dense(1)], "regression", 1);
        var trainer = model.Compile(new Sgd(50), "mse");
        var guard = new DivergenceGuard();
        var output = new StringWriter();
        var history = trainer.Fit(TrainingData.Linear(100, 3), epochs: 20, batchSize: 10, seed: 1, callbacks: [guard], output: output);
        Assert.True(guard.Tripped);
        Assert.True(history.Epochs.Count < 20);
        Assert.StartsWith("divergence", trainer.StopReason);
        Assert.Contains("stopped: divergence", output.ToString());
        double last = history["loss"][^1];
        Assert.True(!double.IsFinite(last) || last > 3 * history["loss"][0]);
    }

    [Fact]
    public void DivergenceGuardStopsAtTheFirstBatchWhoseLossIsNotFinite()
    {
        var model = new Sequential([2], [new Sparta.Layers.Dense(8, "relu"), new Sparta.Layers.Dense(1)], "regression", 1);
        var trainer = model.Compile(new Sgd(1e4), "mse");
        var batches = new BatchLosses();
        var output = new StringWriter();
        // 200 batches per epoch: the loss overflows within the first epoch, long before its end.
        var history = trainer.Fit(TrainingData.Linear(200, 3), epochs: 3, batchSize: 1, seed: 1, callbacks: [batches, new DivergenceGuard()], output: output);
        int firstNonFinite = batches.Losses.FindIndex(l => !double.IsFinite(l));
        Assert.InRange(firstNonFinite, 0, 198);
        Assert.Equal(firstNonFinite + 1, batches.Losses.Count);
        Assert.Single(history.Epochs);
        Assert.Equal($"divergence: the batch loss is {batches.Losses[^1].ToString(System.Globalization.CultureInfo.InvariantCulture)} at epoch 1, batch {firstNonFinite + 1}", trainer.StopReason);
        Assert.Contains("stopped: divergence", output.ToString());
    }

    private sealed class BatchLosses : Callback
    {
        public List<double> Losses { get; } = [];
        public override void OnBatchEnd(Trainer trainer, int batch, double loss) => Losses.Add(loss);
    }

    [Fact]
    public void DivergenceGuardLeavesAHealthyRunAlone()
    {
        var guard = new DivergenceGuard();
        var trainer = TrainingData.Classifier(4).Compile(new Adam(0.01), "sparse_categorical_crossentropy");
        var history = trainer.Fit(TrainingData.Blobs(100, 1), epochs: 5, batchSize: 20, callbacks: [guard], verbose: false);
        Assert.False(guard.Tripped);
        Assert.Equal(5, history.Epochs.Count);
        Assert.Null(trainer.StopReason);
    }

    [Fact]
    public void PlateauCutsTheRateAfterPatienceEpochsWithoutImprovement()
    {
        // Validation labels rotated: val_loss only rises, so every `patience` epochs the rate is cut.
        var schedule = new ReduceOnPlateau(0.01, factor: 0.5, patience: 2, minDelta: 0);
        var trainer = TrainingData.Classifier(4).Compile(new Adam(schedule), "sparse_categorical_crossentropy");
        var plateau = new ReduceLearningRateOnPlateau("val_loss");
        var history = trainer.Fit(TrainingData.Blobs(100, 1), epochs: 7, batchSize: 20, validationData: TrainingData.Blobs(50, 2, flipLabels: true),
            callbacks: [plateau], verbose: false);
        var valLoss = history["val_loss"];
        Assert.True(valLoss.Zip(valLoss.Skip(1)).All(p => p.Second > p.First), "val_loss should rise every epoch");
        Assert.Equal([3, 5, 7], plateau.Reductions);
        // The logged rate is the one the epoch trained with; a cut at its end shows from the next epoch.
        Assert.Equal([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025], history["learning_rate"]);
    }

    [Fact]
    public void CheckpointSavesEveryEpochOrOnlyTheBest()
    {
        using var directory = new TempDirectory();
        var every = new ModelCheckpoint(directory.File("every-{epoch}.zip"));
        var best = new ModelCheckpoint(directory.File("best.zip"), saveBestOnly: true, monitor: "val_loss");
        var trainer = TrainingData.Classifier(4).Compile(new Adam(0.01), "sparse_categorical_crossentropy");
        var history = trainer.Fit(TrainingData.Blobs(100, 1), epochs: 6, batchSize: 20, validationData: TrainingData.Blobs(50, 2, flipLabels: true),
            callbacks: [every, best], verbose: false);
        Assert.Equal(Enumerable.Range(1, 6).Select(e => directory.File($"every-{e:D3}.zip")), every.Saved);
        Assert.All(every.Saved, f => Assert.True(File.Exists(f)));
        // val_loss rises from the first epoch on, so only epoch 1 was the best.
        Assert.Single(best.Saved);
        var saved = Sparta.Serialization.ModelFile.Load(directory.File("best.zip"));
        Assert.Equal(1, saved.Epoch);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }

    [Fact]
    public void HistoryLoggersWriteWhatTheHistoryHolds()
    {
        using var directory = new TempDirectory();
        var trainer = TrainingData.Classifier(4).Compile(new Adam(0.01), "sparse_categorical_crossentropy", "accuracy");
        var history = trainer.Fit(TrainingData.Blobs(60, 1), epochs: 3, batchSize: 20, validationSplit: 0.2,
            callbacks: [new HistoryLogger(directory.File("h.csv")), new HistoryLogger(directory.File("h.json"))], verbose: false);

        var rows = File.ReadAllLines(directory.File("h.csv"));
        var header = rows[0].Split(',');
        Assert.Equal(["epoch", .. history.Keys], header);
        Assert.Equal(4, rows.Length);
        for (int e = 0; e < 3; e++)
        {
            var cells = rows[e + 1].Split(',');
            Assert.Equal(e + 1, int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture));
            for (int k = 1; k < header.Length; k++)
                Assert.Equal(history[header[k]][e], double.Parse(cells[k], System.Globalization.CultureInfo.InvariantCulture));
        }
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(directory.File("h.json")));
        Assert.Equal([1, 2, 3], json.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(history["val_accuracy"], json.RootElement.GetProperty("val_accuracy").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Contains("h.txt", Assert.Throws<ArgumentException>(() => new HistoryLogger("h.txt")).Message);
    }

    [Fact]
    public void AHistoryReadBackFromJsonHasEveryValue()
    {
        var history = new Sparta.Training.History();
        history.Add(1, new Dictionary<string, double> { ["loss"] = 2.5, ["accuracy"] = 0.1 });
        history.Add(2, new Dictionary<string, double> { ["loss"] = double.PositiveInfinity, ["accuracy"] = 0.25 });
        history.Add(3, new Dictionary<string, double> { ["loss"] = double.NaN, ["accuracy"] = 1.0 / 3 });
        var read = HistoryLogger.FromJson(HistoryLogger.ToJson(history));
        Assert.Equal(history.Epochs, read.Epochs);
        Assert.Equal(history.Keys, read.Keys);
        foreach (string key in history.Keys) Assert.Equal(history[key], read[key]);
        Assert.Contains("'loss' has 1 values for 2 epochs", Assert.Throws<System.Text.Json.JsonException>(() => HistoryLogger.FromJson("""{"epochs": [1, 2], "loss": [1]}""")).Message);
    }
}
