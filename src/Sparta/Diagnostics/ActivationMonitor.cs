using Sparta.Models;
using Sparta.Tensors;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Diagnostics;

/// <summary>
/// Looks inside the network during training: before the first epoch and every <c>every</c> epochs,
/// a fixed batch goes forward in inference mode and each layer call's output is summarized
/// (<see cref="ActivationStatistics"/>: mean, std, histogram, saturated and dead units read for the
/// layer's own activation). Works on sequential and graph models alike, layers in forward order.
/// <code>
/// var monitor = new ActivationMonitor(validationInputs);
/// trainer.Fit(train, epochs: 10, callbacks: [monitor]);
/// monitor.Records[^1]["dense"].Dead   // fraction of dead ReLUs after training
/// </code>
/// </summary>
public sealed class ActivationMonitor : Callback
{
    private readonly List<ActivationInspection> _records = [];
    private readonly Tensor? _batch;
    private readonly IReadOnlyDictionary<string, Tensor>? _inputs;

    /// <summary>A batch for a one-input model.</summary>
    public ActivationMonitor(Tensor batch, int every = 1, int bins = 30) : this(every, bins) =>
        _batch = batch ?? throw new ArgumentNullException(nameof(batch));

    /// <summary>A batch per input name, for graph models with several inputs.</summary>
    public ActivationMonitor(IReadOnlyDictionary<string, Tensor> inputs, int every = 1, int bins = 30) : this(every, bins) =>
        _inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));

    private ActivationMonitor(int every, int bins)
    {
        Every = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), $"activation monitor: every must be positive, got {every}");
        Bins = bins >= 1 ? bins : throw new ArgumentOutOfRangeException(nameof(bins), $"activation monitor: bins must be positive, got {bins}");
    }

    public int Every { get; }
    public int Bins { get; }

    public IReadOnlyList<ActivationInspection> Records => _records;

    public override void OnTrainBegin(Trainer trainer)
    {
        if (_records.Count == 0) Inspect(trainer.Model, trainer.Epoch);
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (epoch % Every == 0) Inspect(trainer.Model, epoch);
    }

    /// <summary>Every layer's statistics on the batch, now.</summary>
    public ActivationInspection Inspect(Model model, int epoch)
    {
        var outputs = _inputs is null ? LayerOutputs.Of(model, _batch!) : LayerOutputs.Of(model, _inputs);
        var inspection = new ActivationInspection(epoch,
            outputs.Select(o => LayerActivation.Of(o.Layer, ActivationStatistics.Of(o.Output, o.Activation, Bins))).ToArray());
        _records.Add(inspection);
        return inspection;
    }
}
