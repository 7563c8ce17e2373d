using Sparta.Optimizers;
using Sparta.Tensors;

namespace Sparta.Layers;

/// <summary>A layer whose core is an affine map x ↦ W∗x + b (Dense, Conv2D): what LSUV rescales, layer by layer.</summary>
public interface IAffineLayer
{
    Parameter Kernel { get; }

    /// <summary>The output before the activation, for a batch of this layer's input.</summary>
    Tensor AffineOutput(Tensor x);
}
