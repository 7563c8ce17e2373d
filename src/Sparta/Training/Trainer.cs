using System.Diagnostics;
using Sparta.Autograd;
using Sparta.Data;
using Sparta.Data.Augmentation;
using Sparta.Data.Splits;
using Sparta.Losses;
using Sparta.Metrics;
using Sparta.Models;
using Sparta.Optimizers;
using Sparta.Tensors;
using Sparta.Training.Callbacks;

namespace Sparta.Training;

/// <summary>
/// A model compiled with an optimizer, a loss and metrics: Keras' <c>compile</c>/<c>fit</c>/
/// <c>evaluate</c>/<c>predict</c>.
/// <code>
/// var trainer = model.Compile(new Adam(1e-3), "sparse_categorical_crossentropy", "accuracy");
/// var history = trainer.Fit(train, epochs: 5, batchSize: 128, validationSplit: 0.1, seed: 42);
/// var scores = trainer.Evaluate(test);            // {"loss": ..., "accuracy": ...}
/// var logits = trainer.Predict(test);
/// </code>
/// The reported <c>loss</c> includes the layers' L1/L2 penalties; <c>data_loss</c> is the loss
/// alone (logged when the model has penalties). The same seed gives the same History and weights.
/// </summary>
public sealed partial class Trainer
{
    private readonly Parameter[] _parameters;
    private readonly Objective _objective;

    /// <param name="optimizer">A mini-batch <see cref="Optimizers.Optimizer"/>, or <see cref="Lbfgs"/>, which minimizes the
    /// whole training set's loss once per epoch (see <see cref="Fit"/>).</param>
    public Trainer(Model model, IOptimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null)
        : this(model, optimizer, Objective.Single(loss ?? throw new ArgumentNullException(nameof(loss)), metrics?.ToArray() ?? []))
    {
    }

    /// <summary>
    /// A model with several outputs, each with its loss, loss weight and metrics (<see cref="OutputLoss"/>): it
    /// trains on the weighted sum of the outputs' losses, from a dataset holding a target per output
    /// (<see cref="Dataset.OutputColumns"/>).
    /// </summary>
    public Trainer(Model model, IOptimizer optimizer, IReadOnlyList<OutputLoss> outputs)
        : this(model, optimizer, Objective.PerOutput(model ?? throw new ArgumentNullException(nameof(model)), outputs ?? throw new ArgumentNullException(nameof(outputs))))
    {
    }

    private Trainer(Model model, IOptimizer optimizer, Objective objective)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _objective = objective;
        // Every parameter, frozen ones too: the optimizer skips those without changing its list, so
        // freezing or unfreezing between fits keeps its state.
        _parameters = model.Parameters.ToArray();
    }

    public Model Model { get; }
    public IOptimizer Optimizer { get; }

    /// <summary>The loss of a one-output model (of the first output when there are several: see <see cref="Outputs"/>).</summary>
    public Loss Loss => _objective.FirstLoss;

    /// <summary>Every metric (output by output when there are several).</summary>
    public IReadOnlyList<Metric> Metrics => _objective.Metrics;

    /// <summary>Each output's loss, weight and metrics for a model trained on several outputs; empty for one output.</summary>
    public IReadOnlyList<OutputLoss> Outputs => _objective.Outputs;

    /// <summary>Every epoch trained by this trainer (and, after a resume, before it).</summary>
    public History History { get; } = new();

    /// <summary>Epochs completed so far: where the next <see cref="Fit"/> resumes by default.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The seed of the last <see cref="Fit"/> (kept in checkpoints for resuming).</summary>
    public ulong Seed { get; internal set; }

    /// <summary>Why training stopped early (set by <see cref="Stop"/>), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Ends training: called from a batch's callback, after that batch (the epoch's logs cover the batches
    /// trained); from an epoch's, after that epoch. <paramref name="reason"/> is printed and kept in <see cref="StopReason"/>.
    /// </summary>
    public void Stop(string reason) => StopReason = reason;

    /// <summary>Whether a larger value of this History key is better (accuracy) or a smaller one (loss, errors).</summary>
    public bool HigherIsBetter(string key)
    {
        string name = key.StartsWith("val_", StringComparison.Ordinal) ? key[4..] : key;
        if (name is "loss" or "data_loss") return false;
        foreach (var (logged, higher) in _objective.LoggedKeys()) if (logged == name) return higher;
        throw new ArgumentException($"trainer: no logged value '{key}'; {Configuration.NameSuggestions.Hint(key, LoggedKeys())}");
    }

    private IEnumerable<string> LoggedKeys()
    {
        var names = new[] { "loss", "data_loss" }.Concat(_objective.LoggedKeys().Select(k => k.Key)).ToArray();
        return names.Concat(names.Select(n => "val_" + n));
    }

    /// <summary>
    /// Trains epochs <paramref name="initialEpoch"/>+1 .. <paramref name="epochs"/> (Keras' numbering:
    /// <paramref name="epochs"/> is the last epoch's number; <paramref name="initialEpoch"/> defaults to
    /// <see cref="Epoch"/>, so a resumed trainer carries on where its checkpoint stopped). Validation
    /// is <paramref name="validationData"/> or a stratified, seeded <paramref name="validationSplit"/>
    /// fraction held out of <paramref name="train"/>. Epoch e's shuffle comes from stream e of
    /// <paramref name="seed"/>, so a run resumed at any epoch sees the same batches. With
    /// <see cref="Lbfgs"/>, an epoch is one minimization of the whole set's loss (up to its
    /// max_iterations), computed in chunks of <paramref name="batchSize"/> samples; it cannot augment.
    /// </summary>
    public History Fit(Dataset train, int epochs, int batchSize = 32, Dataset? validationData = null, double validationSplit = 0,
        bool shuffle = true, ulong seed = 0, IEnumerable<Callback>? callbacks = null, bool verbose = true,
        TextWriter? output = null, int? initialEpoch = null, ImageAugmenter? augmenter = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        int first = initialEpoch ?? Epoch;
        if (first < 0) throw new ArgumentOutOfRangeException(nameof(initialEpoch), $"fit: initialEpoch must be non-negative, got {first}");
        if (epochs < first) throw new ArgumentOutOfRangeException(nameof(epochs), $"fit: epochs ({epochs}) is the last epoch's number and must be at least initialEpoch ({first})");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"fit: batchSize must be positive, got {batchSize}");
        if (validationData is not null && validationSplit > 0)
            throw new ArgumentException($"fit: give validationData or validationSplit, not both (validationSplit = {validationSplit})", nameof(validationSplit));
        var random = new RandomGenerator(seed);
        if (validationSplit != 0) (train, validationData) = HoldOutValidation(train, validationSplit, seed);
        if (train.Count == 0) throw new ArgumentException("fit: the training set is empty", nameof(train));

        Seed = seed;
        StopReason = null;
        var printer = verbose ? new EpochPrinter(output ?? Console.Out) : null;
        bool oneHot = _objective.NeedsOneHot(train);
        int[] columns = _objective.Columns(train);
        if (Optimizer is Lbfgs && augmenter is not null)
            throw new ArgumentException("fit: L-BFGS minimizes one fixed full-batch loss, and augmentation would change it at every evaluation; train without augmentation");
        var hooks = Begin(callbacks);
        // One pool for the whole fit: each step reuses the buffers of the step before.
        var pool = new TensorPool();
        for (int epoch = first + 1; epoch <= epochs && StopReason is null; epoch++)
        {
            foreach (var callback in hooks) callback.OnEpochBegin(this, epoch);
            var shuffleRandom = shuffle ? random.Fork("shuffle").Fork((ulong)epoch) : null;
            var logs = Optimizer is Lbfgs lbfgs ? TrainFullBatch(lbfgs, new BatchLoader(train, batchSize, null, oneHot), columns, hooks, printer)
                : TrainEpoch(new BatchLoader(train, batchSize, shuffleRandom, oneHot, augmenter?.ForEpoch(epoch)), columns, pool, hooks, printer);
            if (validationData is not null)
                foreach (var (key, value) in Evaluate(validationData, batchSize)) logs["val_" + key] = value;
            logs["learning_rate"] = Optimizer.CurrentLearningRate;
            Epoch = epoch;
            History.Add(epoch, logs);
            // Callbacks see the logs first (a divergence guard may stop), then the line is printed.
            foreach (var callback in hooks) callback.OnEpochEnd(this, epoch, logs);
            printer?.EpochEnd(epoch, logs, StopReason);
        }
        foreach (var callback in hooks) callback.OnTrainEnd(this);
        return History;
    }

    /// <summary>One pass over the batches: forward, loss (+ penalties), backward, step; metrics from the same predictions.</summary>
    private Dictionary<string, double> TrainEpoch(BatchLoader loader, int[] columns, TensorPool pool, Callback[] hooks, EpochPrinter? printer)
    {
        using var pooled = pool.Use();
        var optimizer = (Optimizer)Optimizer;
        _objective.Reset();
        long start = Stopwatch.GetTimestamp();
        double lossSum = 0, dataLossSum = 0;
        int seen = 0, batchIndex = 0;
        bool regularized = false;
        printer?.EpochBegin(loader.BatchesPerEpoch);
        // The step's predictions, an array for every step of the epoch.
        var outputs = new Tensor[Model.OutputNames.Count];
        foreach (var batch in loader.Epoch())
        {
            for (int c = 0; c < hooks.Length; c++) hooks[c].OnBatchBegin(this, batchIndex);
            pool.NextStep();
            optimizer.ZeroGrad();
            var predictions = Model.ForwardOutputsInto(batch.Inputs, outputs);
            // Computes the metrics too: the predictions are read before backward hands their buffers back to the pool.
            var dataLoss = _objective.Loss(predictions, batch.Target, columns, batch.Count);
            var penalty = Model.RegularizationLoss();
            var loss = penalty is null ? dataLoss : dataLoss + penalty;
            // What is read after backward. Every other tensor of the step goes back to the pool as soon as
            // backward is done with it, and the next step takes it again.
            pool.Keep(dataLoss);
            loss.Backward(retainGraph: false);
            optimizer.Step(_parameters);

            double batchLoss = loss.Item();
            lossSum += batchLoss * batch.Count;
            dataLossSum += dataLoss.Item() * batch.Count;
            regularized |= penalty is not null;
            seen += batch.Count;
            for (int c = 0; c < hooks.Length; c++) hooks[c].OnBatchEnd(this, batchIndex, batchLoss);
            batchIndex++; // counted whether or not a printer shows it: callbacks see 0, 1, 2, ...
            printer?.BatchEnd(batchIndex, lossSum / seen);
            // A callback stopped inside the epoch (a NaN loss): no further step on broken weights.
            if (StopReason is not null) break;
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var logs = new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = lossSum / seen };
        if (regularized) logs["data_loss"] = dataLossSum / seen;
        _objective.Log(logs, seen);
        logs["epoch_seconds"] = seconds;
        return logs;
    }

    /// <summary>
    /// The training part and the validation part that <see cref="Fit"/> holds out of <paramref name="data"/> for
    /// <c>validationSplit: </c><paramref name="fraction"/> and <paramref name="seed"/>: stratified by class, the same
    /// rows for the same seed. Split first with it to fit preprocessing on the training part alone.
    /// </summary>
    public static (Dataset Train, Dataset Validation) HoldOutValidation(Dataset data, double fraction, ulong seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), $"fit: validationSplit must be in (0, 1), got {fraction}");
        var split = SplitIndices.Create(data.Count, fraction, 0, new RandomGenerator(seed).Fork("validation"), data.Labels);
        return (data.Subset(split.Train), data.Subset(split.Validation));
    }
}
