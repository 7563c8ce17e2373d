using Sparta.Activations;
using Sparta.Configuration;
using Sparta.Initializers;
using Sparta.Regularizers;

namespace Sparta.Layers;

/// <summary>
/// The arguments every affine layer takes beside its shape (Keras' Dense and Conv2D share them):
/// the activation, the bias switch, and the kernel and bias initializers and regularizers.
/// </summary>
internal readonly record struct AffineArguments(Activation? Activation, bool UseBias, Initializer? KernelInitializer,
    Initializer? BiasInitializer, Regularizer? KernelRegularizer, Regularizer? BiasRegularizer)
{
    /// <summary>The shared keys of a layer config; absent keys take the constructors' defaults.</summary>
    public static AffineArguments Read(ConfigReader r) => new(
        LayerArguments.Activation(r), r.Bool("use_bias", true),
        LayerArguments.Initializer(r, "kernel_initializer"), LayerArguments.Initializer(r, "bias_initializer"),
        LayerArguments.Regularizer(r, "kernel_regularizer"), LayerArguments.Regularizer(r, "bias_regularizer"));
}
