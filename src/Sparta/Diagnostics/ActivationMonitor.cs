using Sparta.Tensors;
using Sparta.Training;
using Sparta.Training.Callbacks;

namespace Sparta.Diagnostics;

/// <summary>
/// Looks inside the network during training: every <c>every</c> epochs (and before the first), the
/// fixed <paramref name="batch"/> goes forward in inference mode and each layer's output is
/// summarized (<see cref="ActivationStatistics"/>: mean, std, histogram, saturated and dead
/// units). Needs a <see cref="Models.Sequential"/> model, whose layers form a chain.
/// <code>
/// var monitor = new ActivationMonitor(validationInputs);
/// trainer.Fit(train, epochs: 10, callbacks: [monitor]);
/// monitor.Records[^1].Layers["dense"].DeadUnits   // fraction of dead ReLUs after training
/// </code>
/// </summary>
public sealed class ActivationMonitor(Tensor batch, int every = 1, int bins = 30) : Callback
{
    /// <summary>One inspection: the epoch (0 = before training) and each layer's statistics by layer name, in layer order.</summary>
    public sealed record Record(int Epoch, IReadOnlyDictionary<string, ActivationStatistics> Layers);

    private readonly List<Record> _records = [];

    public Tensor Batch { get; } = batch ?? throw new ArgumentNullException(nameof(batch));
    public int Every { get; } = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), $"activation monitor: every must be positive, got {every}");

    public IReadOnlyList<Record> Records => _records;

    public override void OnTrainBegin(Trainer trainer)
    {
        if (_records.Count == 0) Inspect(trainer, trainer.Epoch);
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (epoch % Every == 0) Inspect(trainer, epoch);
    }

    private void Inspect(Trainer trainer, int epoch)
    {
        var outputs = LayerOutputs.Of(trainer.Model, Batch);
        var layers = new Dictionary<string, ActivationStatistics>(StringComparer.Ordinal);
        for (int i = 0; i < outputs.Count; i++)
            layers[trainer.Model.Layers[i].Name] = ActivationStatistics.Of(outputs[i].Span, outputs[i].Shape[-1], bins);
        _records.Add(new Record(epoch, layers));
    }
}
