using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Losses;

/// <summary>
/// A training objective: <see cref="Compute"/> returns the mean over the batch of the per-sample
/// loss as a scalar on the tape (Keras' "sum over batch size" reduction), so
/// <c>loss.Backward()</c> fills the parameters' gradients. Created by registered name through
/// <see cref="LossRegistry"/>.
/// </summary>
public abstract class Loss
{
    public abstract string Name { get; }

    /// <param name="predictions">The model's output, batch first.</param>
    /// <param name="targets">Same shape, except for sparse categorical cross-entropy (one class index per row).</param>
    public abstract Tensor Compute(Tensor predictions, Tensor targets);

    public virtual ComponentConfig GetConfig() => new(Name);

    public override string ToString() => GetConfig().ToJson();

    /// <summary>Throws a one-line error unless predictions and targets have one shape.</summary>
    protected void SameShape(Tensor predictions, Tensor targets)
    {
        if (predictions.Shape != targets.Shape)
            throw new ArgumentException($"loss '{Name}': predictions of shape {predictions.Shape} and targets of shape {targets.Shape} differ");
        if (predictions.Rank == 0) throw new ArgumentException($"loss '{Name}': predictions must have a batch axis, got a scalar");
    }
}
