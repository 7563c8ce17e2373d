namespace Sparta.Training.Callbacks;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/> as in Keras. Epoch numbers are 1-based (as printed);
/// <c>logs</c> holds the epoch's History values. A callback stops training with
/// <see cref="Trainer.Stop"/>.
/// </summary>
public abstract class Callback
{
    public virtual void OnTrainBegin(Trainer trainer) { }

    public virtual void OnEpochBegin(Trainer trainer, int epoch) { }

    /// <summary>A training step begins, its batch loaded (Keras' on_train_batch_begin).</summary>
    /// <param name="batch">0-based index of the batch within the epoch.</param>
    public virtual void OnBatchBegin(Trainer trainer, int batch) { }

    /// <param name="batch">0-based index of the batch within the epoch.</param>
    /// <param name="loss">The batch's loss (penalties included).</param>
    public virtual void OnBatchEnd(Trainer trainer, int batch, double loss) { }

    public virtual void OnEpochEnd(Trainer trainer, int epoch, IReadOnlyDictionary<string, double> logs) { }

    public virtual void OnTrainEnd(Trainer trainer) { }

    /// <summary>
    /// The name a callback's state is kept under in a checkpoint (with its position among the
    /// callbacks of that name), or null for a callback whose behaviour depends on nothing but the
    /// History and the model, which a checkpoint restores anyway.
    /// </summary>
    public virtual string? StateName => null;

    /// <summary>What a resumed run needs to carry on exactly as if never interrupted (patience counters, best values).</summary>
    public virtual IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>();

    /// <summary>Restores <see cref="ExportState"/>'s values; called after <see cref="OnTrainBegin"/> of a resumed run.</summary>
    public virtual void ImportState(IReadOnlyDictionary<string, double> state) { }

    /// <summary>Whether the trainer calls this callback after the others (a checkpoint, which saves what they leave).</summary>
    public virtual bool RunsLast => false;

    /// <summary>The value of <paramref name="key"/> in a saved state, or an error naming the callback and the key.</summary>
    protected static double Read(IReadOnlyDictionary<string, double> state, string key, string owner) =>
        state.TryGetValue(key, out double value) ? value : throw new ArgumentException($"{owner}: saved state lacks '{key}'");
}
