using Sparta.Data;
using Sparta.Data.Splits;
using Sparta.Diagnostics;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Optimizers;
using Sparta.Schedules;
using Sparta.Serialization;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Experiments;

/// <summary>
/// What a run produced: the trained model, its History, the test scores, the training speed, and
/// the diagnostics with the doctor's findings (null when the experiment turns them off).
/// </summary>
public sealed record RunResult(
    Trainer Trainer,
    ExperimentData Data,
    IReadOnlyDictionary<string, double> TestScores,
    int Epochs,
    double TrainSeconds,
    double SamplesPerSecond,
    IReadOnlyList<(int Epoch, double Loss)> BatchLosses,
    RunDiagnostics? Diagnostics,
    CrossValidationResult? CrossValidation = null,
    EnsembleResult? Ensemble = null);

/// <summary>
/// Trains an <see cref="ExperimentSpec"/>: loads the data, builds the model, optimizer, loss, metrics
/// and callbacks from their configs, fits, then evaluates on the test set when there is one.
/// </summary>
public sealed class ExperimentRunner(ExperimentSpec spec, string directory)
{
    /// <summary>The runner of an experiment file, whose checkpoints then hold the experiment (as the run's model file does).</summary>
    public ExperimentRunner(Experiment experiment) : this(experiment.Spec(), experiment.Directory) => Experiment = experiment;

    public ExperimentSpec Spec { get; } = spec;

    /// <summary>The experiment file the spec comes from, when the runner was given one.</summary>
    public Experiment? Experiment { get; }

    /// <param name="output">Receives the per-epoch lines of the training loop.</param>
    /// <param name="extra">More callbacks, e.g. one reporting each epoch to a tuning trial.</param>
    /// <param name="diagnose">False skips the experiment's diagnostics (a tuning trial has no run directory to keep them in).</param>
    /// <param name="resume">A checkpoint of this experiment (see <see cref="Resumption.Open"/>): training continues from
    /// its weights, optimizer state, epoch, data order and random streams, as if never interrupted.</param>
    /// <param name="development">True for a run that must never see the test set whatever the file says (a tuning trial);
    /// otherwise the test set is evaluated unless <c>data.seal_test</c> keeps it sealed from all but the final run.</param>
    /// <param name="warmup">True compiles the training step's code on another thread while the samples are prepared
    /// (<see cref="TrainingWarmup"/>): for a process's first run, where the first epoch would otherwise wait for the JIT.</param>
    public RunResult Run(TextWriter output, IEnumerable<Callback>? extra = null, bool verbose = true, bool diagnose = true, SavedModel? resume = null,
        bool development = false, bool warmup = false)
    {
        var loss = LossRegistry.Create(Spec.Loss);
        var transferBase = resume is null ? ExperimentModel.LoadBase(Spec.Model, directory) : null;
        if (transferBase is { Preprocessing.Count: > 0 } && Spec.Data.Preprocessing.Count > 0)
            throw new ArgumentException($"data.preprocessing: the model of model.from ('{transferBase.Path}') brings its own fitted preprocessing; remove data.preprocessing");
        var (samples, testSamples) = ExperimentData.LoadSamples(Spec.Data, loss, directory, out var tabular, Spec.Outputs);
        bool sealedTest = testSamples is not null && (development || !Spec.EvaluatesTest);
        if (Spec.Ensemble is not null && sealedTest)
            throw new ArgumentException("ensemble: the members and their average are scored on the test set, which data.seal_test keeps sealed; score them in the final run (sparta train --final)");
        if (Spec.Ensemble is not null && testSamples is null)
            throw new ArgumentException("ensemble: the members and their average are scored on a test set; give data.test, a dataset with a test split, or data.test_split");
        if (sealedTest) testSamples = null; // held out of the training samples, never loaded into the run
        if (sealedTest && !development)
            output.WriteLine("test set sealed (data.seal_test): not evaluated; the final run evaluates it once (sparta train --final)");
        var crossValidation = Spec.CrossValidation is { } folds ? ExperimentCrossValidation.Run(this, folds, samples, output, transferBase) : null;
        var warming = warmup && resume is null && transferBase is null && crossValidation is null ? StartWarmup(samples) : Task.CompletedTask;
        var data = ExperimentData.Prepare(Spec.Data, samples, testSamples, Spec.Seed, resume ?? transferBase).WithTabular(tabular);
        var trainer = resume?.Checkpoint?.CreateTrainer() ?? NewTrainer(data.Train, Spec.Seed, transferBase);
        var optimizer = trainer.Optimizer;
        var curve = new BatchLossRecorder();
        var callbacks = new List<Callback> { curve };
        var registry = CallbackRegistry.For(directory, data.Preprocessing, Experiment);
        callbacks.AddRange(Spec.Callbacks.Select(registry.Create));
        if (Plateau(optimizer) is { } plateau) callbacks.Add(plateau);
        if (extra is not null) callbacks.AddRange(extra);
        var diagnostics = Spec.Diagnostics;
        var activations = diagnose && diagnostics.Activations ? new ActivationMonitor(FirstExamples(data.Train, diagnostics.Batch), diagnostics.Every) : null;
        var updates = diagnose && diagnostics.UpdateRatios ? new UpdateRatioMonitor(diagnostics.UpdateEvery) : null;
        if (activations is not null) callbacks.Add(activations);
        if (updates is not null) callbacks.Add(updates);

        TrainingWarmup.FinishQuietly(warming);
        trainer.Fit(data.Train, Spec.Epochs, Spec.BatchSize, validationData: data.Validation, shuffle: Spec.Shuffle,
            seed: Spec.Seed, callbacks: callbacks, verbose: verbose, output: output, augmenter: ExperimentData.Augmenter(Spec.Data, Spec.Seed));

        var history = trainer.History;
        double seconds = history.Contains("epoch_seconds") ? history["epoch_seconds"].Sum() : 0;
        int trained = data.Train.Count;
        var scores = data.Test is null ? new Dictionary<string, double>() : trainer.Evaluate(data.Test, EvaluationBatchSize(Spec));
        if (Spec.Data.SealTest && data.Test is not null)
            output.WriteLine($"final run: the sealed test set evaluated once ({data.Test.Count} samples)");
        RunDiagnostics? recorded = null;
        if (activations is not null || updates is not null)
        {
            recorded = RunDiagnostics.From(activations, updates);
            recorded = recorded with { Findings = Doctor.Diagnose(history, recorded, curve.Losses.Count > 0 ? curve.Losses[0].Loss : null) };
        }
        var ensemble = Spec.Ensemble is { } members ? ExperimentEnsemble.Run(this, members, trainer, scores, data, output) : null;
        return new RunResult(trainer, data, scores, history.Epochs.Count, seconds,
            seconds > 0 ? trained * (double)history.Epochs.Count / seconds : 0, curve.Losses, recorded, crossValidation, ensemble);
    }

    /// <summary>
    /// One step of a throwaway model of the experiment on the first batch of the samples as read, before preprocessing
    /// (its preparation is what the step overlaps) but with the targets the model learns: a model built for those
    /// shapes runs the same code. A resumed or
    /// transferred model, read from a file, and cross-validation's folds, which compiled the code already, go without.
    /// </summary>
    private Task StartWarmup(Dataset samples)
    {
        var batch = ExperimentData.Targets(Spec.Data, TrainingWarmup.FirstBatch(samples, Spec.BatchSize));
        return TrainingWarmup.Start(() => NewTrainer(batch, Spec.Seed), batch);
    }

    /// <summary>The batch size the test set is evaluated in (a larger batch is faster; the sums differ in the last bits with it).</summary>
    public static int EvaluationBatchSize(ExperimentSpec spec) => Math.Max(spec.BatchSize, 256);

    /// <summary>
    /// A model of the experiment, built for <paramref name="train"/>'s inputs from <paramref name="seed"/>
    /// (LSUV-initialized on its first examples when the model asks), with a new optimizer, its loss for the
    /// model's output (a cross-entropy reads a softmax's probabilities as such: <see cref="OutputObjective"/>) and new metrics.
    /// A transferred model starts from <paramref name="transferBase"/>, or from a fresh copy of its base
    /// read from its file (each cross-validation fold, each ensemble member its own).
    /// </summary>
    internal Trainer NewTrainer(Dataset train, ulong seed, SavedModel? transferBase = null)
    {
        var model = NewModel(train, seed, transferBase);
        var optimizer = CreateOptimizer(Spec.Optimizer);
        return Spec.Outputs is { } outputs ? new Trainer(model, optimizer, CreateOutputLosses(outputs, model))
            : new Trainer(model, optimizer, OutputObjective.Create(Spec.Loss, model), Spec.Metrics.Select(MetricRegistry.Create));
    }

    /// <summary>Each output's loss for that output of <paramref name="model"/> (see <see cref="OutputObjective"/>), weight and metrics, new, for a model with several outputs.</summary>
    public static OutputLoss[] CreateOutputLosses(IReadOnlyList<OutputSpec> outputs, Models.Model model) =>
        outputs.Select(o => new OutputLoss(o.Name, OutputObjective.Create(o.Loss, model, model.OutputNames.ToList().IndexOf(o.Name)), o.Weight,
            o.Metrics.Select(MetricRegistry.Create).ToArray())).ToArray();

    /// <summary>The experiment's model for <paramref name="train"/>'s inputs, from <paramref name="seed"/>, LSUV-initialized on its first examples when the model asks.</summary>
    public Models.Model NewModel(Dataset train, ulong seed, SavedModel? transferBase = null)
    {
        var model = ExperimentModel.Build(Spec.Model, seed, train, transferBase ?? ExperimentModel.LoadBase(Spec.Model, directory));
        if (Spec.Model.Lsuv is { } lsuv)
        {
            var examples = FirstExamples(train, lsuv.Batch);
            model.InitializeLsuv(model.InputNames.Select(n => examples[n]).ToArray(), lsuv.Tolerance, lsuv.MaxTrials, lsuv.Orthonormal);
        }
        return model;
    }

    /// <summary>
    /// Trains another model of the experiment quietly (a cross-validation fold, an ensemble member) on
    /// prepared data (<see cref="ExperimentData.Prepare"/>): the experiment's callbacks but its checkpoints,
    /// which belong to the run itself.
    /// </summary>
    internal Trainer TrainQuietly(ExperimentData data, ulong seed)
    {
        var train = data.Train;
        var trainer = NewTrainer(train, seed);
        var registry = CallbackRegistry.For(directory, null);
        var callbacks = Spec.Callbacks.Where(c => c.Name != "model_checkpoint").Select(registry.Create).ToList();
        if (Plateau(trainer.Optimizer) is { } plateau) callbacks.Add(plateau);
        trainer.Fit(train, Spec.Epochs, Spec.BatchSize, validationData: data.Validation, shuffle: Spec.Shuffle,
            seed: seed, callbacks: callbacks, verbose: false, augmenter: ExperimentData.Augmenter(Spec.Data, seed));
        return trainer;
    }

    /// <summary>A reduce_on_plateau schedule is fed <c>val_loss</c> (or <c>loss</c> without a validation split) at the end of every epoch.</summary>
    private ReduceLearningRateOnPlateau? Plateau(IOptimizer optimizer) => optimizer is Optimizer { LearningRate: ReduceOnPlateau }
        ? new ReduceLearningRateOnPlateau(Spec.Data.ValidationSplit > 0 ? "val_loss" : "loss") : null;

    /// <summary>The experiment's optimizer, new: a mini-batch one, or L-BFGS on the full batch.</summary>
    public static IOptimizer CreateOptimizer(Configuration.ComponentConfig config) => OptimizerRegistry.Create(config);

    /// <summary>The experiment's optimizer for a tool that steps it batch by batch (the LR finder); L-BFGS is refused, naming why.</summary>
    public static Optimizer CreateMiniBatchOptimizer(Configuration.ComponentConfig config, string tool) => CreateOptimizer(config) as Optimizer
        ?? throw new ArgumentException($"optimizer '{config.Name}' minimizes the full batch; {tool} steps mini-batches (use sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw)");

    /// <summary>The first examples of the training set, one tensor per input name: the batch every inspection looks at.</summary>
    private static IReadOnlyDictionary<string, Tensors.Tensor> FirstExamples(Dataset train, int count) =>
        train.Subset(Enumerable.Range(0, Math.Min(count, train.Count)).ToArray()).Inputs.ToDictionary(i => i.Name, i => i.Data, StringComparer.Ordinal);

    /// <summary>The loss of every batch: the learning curve at its finest grain.</summary>
    private sealed class BatchLossRecorder : Callback
    {
        private int _epoch;
        public List<(int Epoch, double Loss)> Losses { get; } = [];
        public override void OnEpochBegin(Trainer trainer, int epoch) => _epoch = epoch;
        public override void OnBatchEnd(Trainer trainer, int batch, double loss) => Losses.Add((_epoch, loss));
    }
}
