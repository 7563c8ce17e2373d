using Sparta.Configuration;
using Sparta.Tensors;

namespace Sparta.Regularizers;

/// <summary>
/// A weight penalty λ·R(W) added to the data loss (the slides' "regularization loss"); a layer
/// applies it to the parameter it was given for (kernel_regularizer, bias_regularizer), and the
/// model sums them in <c>Model.RegularizationLoss</c>, so the training loop can report the loss
/// with them apart from the data metric.
/// </summary>
public abstract class Regularizer
{
    public abstract string Name { get; }

    /// <summary>λ·R(weights) as a scalar on the tape.</summary>
    public abstract Tensor Penalty(Tensor weights);

    public abstract ComponentConfig GetConfig();

    public override string ToString() => GetConfig().ToJson();
}
