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

    public override string? StateName => "early_stopping";

    /// <summary>The best value, its epoch and the epochs waited since; the best weights are not kept (a resume refuses restore_best_weights).</summary>
    public override IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>
    {
        ["best"] = _monitor.Best,
        ["best_epoch"] = BestEpoch,
        ["wait"] = _wait,
    };

    public override void ImportState(IReadOnlyDictionary<string, double> state)
    {
        _monitor.Best = Read(state, "best", _monitor.Owner);
        BestEpoch = (int)Read(state, "best_epoch", _monitor.Owner);
        _wait = (int)Read(state, "wait", _monitor.Owner);
    }

    public override void OnTrainEnd(Trainer trainer)
    {
        if (_bestWeights is not null) trainer.Model.SetWeights(_bestWeights);
    }
}
