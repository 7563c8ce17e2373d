using Sparta.Autograd;
using Sparta.Initializers;
using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>
    /// LSUV (Mishkin and Matas 2016), the data-dependent step after building: every Dense and Conv2D
    /// kernel starts orthonormal (unless <paramref name="orthonormalStart"/> is false), then, from the
    /// input side, each is rescaled until the variance of its pre-activation output on
    /// <paramref name="batch"/> (one tensor per input, in <see cref="InputNames"/> order) is within
    /// <paramref name="tolerance"/> of 1. Biases stay as they are.
    /// </summary>
    public IReadOnlyList<LsuvLayerResult> InitializeLsuv(IReadOnlyList<Tensor> batch, double tolerance = 0.1, int maxTrials = 10, bool orthonormalStart = true)
    {
        if (batch.Count != _graph.InputNames.Count)
            throw new ArgumentException($"model '{Name}': lsuv needs one batch per input ({string.Join(", ", _graph.InputNames)}), got {batch.Count}");
        var layers = Layers.OfType<AffineLayer>().Where(l => l.Trainable).ToArray();
        using var _ = Tape.NoGrad();
        Tensor OutputOf(int i) => layers[i].AffineOutput(_graph.InputsOf(layers[i], batch)[0]);
        return Lsuv.Initialize(layers.Select(l => l.Kernel.Value).ToArray(), OutputOf,
            new RandomGenerator(Seed).Fork("lsuv"), tolerance, maxTrials, orthonormalStart);
    }
}
