using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>What a run produced: the trained model, its History, the test scores and the training speed.</summary>
public sealed record RunResult(
    Trainer Trainer,
    ExperimentData Data,
    IReadOnlyDictionary<string, double> TestScores,
    int Epochs,
    double TrainSeconds,
    double SamplesPerSecond,
    IReadOnlyList<(int Epoch, double Loss)> BatchLosses);

/// <summary>
/// Trains an <see cref="ExperimentSpec"/>: loads the data, builds the model, optimizer, loss, metrics
/// and callbacks from their configs, fits, then evaluates on the test set when there is one.
/// </summary>
public sealed class ExperimentRunner(ExperimentSpec spec, string directory)
{
    public ExperimentSpec Spec { get; } = spec;

    /// <param name="output">Receives the per-epoch lines of the training loop.</param>
    /// <param name="extra">More callbacks, e.g. one reporting each epoch to a tuning trial.</param>
    public RunResult Run(TextWriter output, IEnumerable<Callback>? extra = null, bool verbose = true)
    {
        var loss = LossRegistry.Create(Spec.Loss);
        var data = ExperimentData.Load(Spec.Data, loss, directory);
        var model = ExperimentModel.Build(Spec.Model, Spec.Seed, data.Train);
        var optimizer = OptimizerRegistry.Create(Spec.Optimizer) as Optimizer
            ?? throw new ArgumentException($"optimizer '{Spec.Optimizer.Name}' works on the full batch; an experiment trains with mini-batches (use sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw)");
        var trainer = new Trainer(model, optimizer, loss, Spec.Metrics.Select(MetricRegistry.Create));
        var curve = new BatchLossRecorder();
        var callbacks = new List<Callback> { curve };
        callbacks.AddRange(Spec.Callbacks.Select(CallbackRegistry.Registry.Create));
        bool validated = Spec.Data.ValidationSplit > 0;
        if (optimizer.LearningRate is ReduceOnPlateau) callbacks.Add(new ReduceLearningRateOnPlateau(validated ? "val_loss" : "loss"));
        if (extra is not null) callbacks.AddRange(extra);

        trainer.Fit(data.Train, Spec.Epochs, Spec.BatchSize, validationSplit: Spec.Data.ValidationSplit, shuffle: Spec.Shuffle,
            seed: Spec.Seed, callbacks: callbacks, verbose: verbose, output: output, augmenter: ExperimentData.Augmenter(Spec.Data, Spec.Seed));

        var history = trainer.History;
        double seconds = history.Contains("epoch_seconds") ? history["epoch_seconds"].Sum() : 0;
        int trained = (int)Math.Round(data.Train.Count * (1 - Spec.Data.ValidationSplit));
        var scores = data.Test is null ? new Dictionary<string, double>() : trainer.Evaluate(data.Test, Math.Max(Spec.BatchSize, 256));
        return new RunResult(trainer, data, scores, history.Epochs.Count, seconds,
            seconds > 0 ? trained * (double)history.Epochs.Count / seconds : 0, curve.Losses);
    }

    /// <summary>The loss of every batch: the learning curve at its finest grain.</summary>
    private sealed class BatchLossRecorder : Callback
    {
        private int _epoch;
        public List<(int Epoch, double Loss)> Losses { get; } = [];
        public override void OnEpochBegin(Trainer trainer, int epoch) => _epoch = epoch;
        public override void OnBatchEnd(Trainer trainer, int batch, double loss) => Losses.Add((_epoch, loss));
    }
}
