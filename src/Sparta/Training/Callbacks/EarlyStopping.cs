namespace Sparta.Training.Callbacks;

/// <summary>
/// Keras' EarlyStopping: stops when <c>monitor</c> has not improved by more than
/// <c>minDelta</c> for <c>patience</c> epochs; with <c>restoreBestWeights</c>, the model ends with
/// the weights of its best epoch (also when training runs to the end).
/// </summary>
public sealed class EarlyStopping : Callback
{
    private readonly Monitor _monitor;
    private Dictionary<string, Sparta.Tensors.Tensor>? _bestWeights;
    private int _wait;

    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, string mode = "auto", bool restoreBestWeights = false)
    {
        _monitor = new Monitor(monitor, mode, minDelta, "early stopping");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"early stopping: patience must be non-negative, got {patience}");
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    public int Patience { get; }
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the best monitored value so far (0 before any).</summary>
    public int BestEpoch { get; private set; }

    public double Best => _monitor.Best;

    /// <summary>The epoch training stopped at, or 0 when it ran to the end.</summary>
    public int StoppedEpoch { get; private set; }

    public override void OnTrainBegin(Trainer trainer)
    {
        _monitor.Reset(trainer);
        _wait = 0;
        BestEpoch = StoppedEpoch = 0;
        _bestWeights = null;
    }

    public override void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs)
    {
        if (_monitor.Improved(logs))
        {
            BestEpoch = epoch;
            _wait = 0;
            if (RestoreBestWeights) _bestWeights = trainer.Model.GetWeights();
            return;
        }
        if (++_wait <= Patience) return;
        StoppedEpoch = epoch;
        trainer.Stop($"early stopping: {_monitor.Key} has not improved for {_wait} epochs (best {_monitor.Best:G4} at epoch {BestEpoch})");
    }

    public override void OnTrainEnd(Trainer trainer)
    {
        if (_bestWeights is not null) trainer.Model.SetWeights(_bestWeights);
    }
}
