using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Metrics;

/// <summary>
/// A streaming metric as in Keras: <see cref="Update"/> once per batch with (targets, predictions),
/// <see cref="Result"/> at the end of the epoch, <see cref="Reset"/> before the next. Results
/// accumulate in double precision in batch order, so they do not depend on the batch size except
/// through rounding.
/// </summary>
public abstract class Metric
{
    /// <summary>The registered name, also the key in the training history ("accuracy", "val_mae").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether larger values are better (accuracy, F1, R²) or smaller (errors): the direction for
    /// early stopping, plateau detection and tuning.
    /// </summary>
    public abstract bool HigherIsBetter { get; }

    public abstract void Update(Tensor yTrue, Tensor yPred);

    public abstract double Result();

    public abstract void Reset();

    public abstract ComponentConfig GetConfig();

    public override string ToString() => GetConfig().ToJson();

    protected ComponentConfig Config(params (string Key, object? Value)[] parameters) =>
        new(Name, parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, object>(p.Key, p.Value!)));

    /// <summary>Regression metrics compare values one to one.</summary>
    protected void RequireSameSize(Tensor yTrue, Tensor yPred)
    {
        if (yTrue.Size != yPred.Size)
            throw new ArgumentException($"metric '{Name}': y_true has shape {yTrue.Shape} and y_pred {yPred.Shape}; they must hold as many values");
    }
}
