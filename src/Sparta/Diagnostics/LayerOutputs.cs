using Sparta.Autograd;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>Every layer's output on one batch, in inference mode and off the tape.</summary>
public static class LayerOutputs
{
    /// <summary>
    /// Runs the layers of a chain model one after the other and keeps each output. Only a chain
    /// (each layer fed by the previous one) has one output per layer in this sense.
    /// </summary>
    public static IReadOnlyList<Tensor> Of(Model model, Tensor batch)
    {
        if (model is not Sequential)
            throw new ArgumentException($"layer outputs: model '{model.Name}' is not sequential; per-layer statistics need a chain of layers");
        using var _ = Tape.NoGrad();
        var outputs = new List<Tensor>(model.Layers.Count);
        var x = batch;
        foreach (var layer in model.Layers)
        {
            x = layer.Call(x);
            outputs.Add(x);
        }
        return outputs;
    }
}
