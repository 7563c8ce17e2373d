using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>A model that chains layers from one input to one output: the simple case of <see cref="Model"/>.</summary>
public sealed class Sequential : Model
{
    public Sequential(int[] inputShape, IEnumerable<Layer> layers, string name = "sequential", ulong seed = 0, string inputName = "input")
        : this(Input(inputShape, inputName), layers.ToArray(), name, seed)
    {
    }

    private Sequential(SymbolicTensor input, Layer[] layers, string name, ulong seed)
        : base(input, Chain(input, layers, name), name, seed)
    {
    }

    private static SymbolicTensor Chain(SymbolicTensor input, Layer[] layers, string name)
    {
        if (layers.Length == 0) throw new ArgumentException($"model '{name}': a sequential model needs at least one layer");
        var x = input;
        foreach (var layer in layers) x = layer.Call(x);
        return x;
    }
}
