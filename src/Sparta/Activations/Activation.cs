using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Kernels;
using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Activations;

/// <summary>
/// An activation function by registered name, used as the <c>activation:</c> argument of Dense and
/// Conv2D or as an Activation layer. Most are plain functions; PReLU owns a learned parameter and
/// Maxout takes the maximum over <see cref="Pieces"/> groups of features, so a host layer creates
/// that many times its units. Channels (or features) are axis 1 of a batch.
/// </summary>
public abstract class Activation
{
    /// <summary>The registered name (see <see cref="ActivationRegistry"/>).</summary>
    public abstract string Name { get; }

    /// <summary>The fused bias+activation kernel that computes this function, when there is one (Dense and Conv2D then run a single pass).</summary>
    internal virtual BiasActivationKind? FusedKind => null;

    /// <summary>
    /// Whether a cross-entropy reads this activation's output through the values it was applied to (sigmoid's
    /// <see cref="Tensor.SigmoidLogits"/>), so Dense and Conv2D run it after their map, as a separate activation
    /// layer does, instead of in the fused kernel, which keeps no logits: the loss then has the exact gradient
    /// even where the output saturates. Batch normalization still fuses it (its values before the activation are never stored).
    /// </summary>
    internal virtual bool KeepsLogits => false;

    /// <summary>The alpha passed to the fused kernel (leaky ReLU's slope).</summary>
    internal virtual float FusedAlpha => 0f;

    /// <summary>How many input features make one output feature (Maxout's k; 1 otherwise).</summary>
    public virtual int Pieces => 1;

    /// <summary>Creates the activation's parameters for inputs of this shape (no batch axis); most have none.</summary>
    /// <param name="addParameter">The host layer's parameter factory: short name, shape, initializer.</param>
    public virtual void Build(Shape inputShape, Func<string, Shape, Initializer, Parameter> addParameter)
    {
    }

    /// <summary>The output shape (no batch axis) for this input shape.</summary>
    public virtual Shape OutputShape(Shape inputShape) => inputShape;

    /// <summary>The function on a batch, recorded on the tape.</summary>
    public abstract Tensor Apply(Tensor x);

    public virtual ComponentConfig GetConfig() => new(Name);

    public override string ToString() => GetConfig().ToJson();
}
