namespace Sparta.Training.Callbacks;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/> as in Keras. Epoch numbers are 1-based (as printed);
/// <paramref name="logs"/> holds the epoch's History values. A callback stops training with
/// <see cref="Trainer.Stop"/>.
/// </summary>
public abstract class Callback
{
    public virtual void OnTrainBegin(Trainer trainer) { }

    public virtual void OnEpochBegin(Trainer trainer, int epoch) { }

    /// <param name="batch">0-based index of the batch within the epoch.</param>
    /// <param name="loss">The batch's loss (penalties included).</param>
    public virtual void OnBatchEnd(Trainer trainer, int batch, double loss) { }

    public virtual void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs) { }

    public virtual void OnTrainEnd(Trainer trainer) { }
}
