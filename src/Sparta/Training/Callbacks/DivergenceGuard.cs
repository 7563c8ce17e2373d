using static System.FormattableString;

namespace Sparta.Training.Callbacks;

/// <summary>
/// Stops a run that diverges: the loss is NaN or infinite, or above <c>factor</c> (3) times the first
/// epoch's loss. Checked after every batch for NaN/Inf, which stops training at that batch (no point
/// finishing the epoch), and after every epoch against the first epoch's loss; the reason is printed and
/// kept in <see cref="Trainer.StopReason"/>.
/// </summary>
public sealed class DivergenceGuard : Callback
{
    private double _firstLoss = double.NaN;
    private bool _nonFiniteBatch;
    private int _epoch;

    public DivergenceGuard(double factor = 3, string monitor = "loss")
    {
        if (!(factor > 1)) throw new ArgumentOutOfRangeException(nameof(factor), $"divergence guard: factor must be above 1, got {factor}");
        Factor = factor;
        Monitor = monitor;
    }

    public double Factor { get; }
    public string Monitor { get; }

    /// <summary>Whether the guard stopped the run.</summary>
    public bool Tripped { get; private set; }

    public override void OnTrainBegin(Trainer trainer)
    {
        // A resumed run compares against the first epoch of the whole run, kept in the History.
        _firstLoss = trainer.History.Contains(Monitor) && trainer.History[Monitor].Count > 0 ? trainer.History[Monitor][0] : double.NaN;
        Tripped = _nonFiniteBatch = false;
    }

    public override void OnEpochBegin(Trainer trainer, int epoch) => _epoch = epoch;

    public override void OnBatchEnd(Trainer trainer, int batch, double loss)
    {
        if (double.IsFinite(loss) || _nonFiniteBatch) return;
        _nonFiniteBatch = true;
        Trip(trainer, Invariant($"divergence: the batch loss is {loss} at epoch {_epoch}, batch {batch + 1}"));
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        double loss = logs.TryGetValue(Monitor, out double value) ? value
            : throw new InvalidOperationException($"divergence guard: monitor '{Monitor}' is not logged; logged: {string.Join(", ", logs.Keys)}");
        if (_nonFiniteBatch) return; // stopped at the batch already
        if (!double.IsFinite(loss))
            Trip(trainer, Invariant($"divergence: {Monitor} is {loss} at epoch {epoch}"));
        else if (double.IsNaN(_firstLoss))
            _firstLoss = loss;
        else if (loss > Factor * _firstLoss)
            Trip(trainer, Invariant($"divergence: {Monitor} {loss:G4} at epoch {epoch} is above {Factor:G3} x the first epoch's {_firstLoss:G4}"));
    }

    private void Trip(Trainer trainer, string reason)
    {
        Tripped = true;
        trainer.Stop(reason);
    }
}
