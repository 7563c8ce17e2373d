using Sparta.Autograd;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Tensors;

namespace Sparta.Diagnostics;

/// <summary>One layer call's output on a batch, with the activation the layer applies last ("linear" when none).</summary>
public sealed record LayerOutput(string Layer, string Activation, Tensor Output);

/// <summary>Every layer's output on one batch, in inference mode and off the tape.</summary>
public static class LayerOutputs
{
    /// <summary>A one-input model's layer outputs, in the order the forward pass runs them.</summary>
    public static IReadOnlyList<LayerOutput> Of(Model model, Tensor batch)
    {
        if (model.InputNames.Count != 1)
            throw new ArgumentException($"layer outputs: model '{model.Name}' has {model.InputNames.Count} inputs ({string.Join(", ", model.InputNames)}); pass them by name");
        return Of(model, [batch]);
    }

    /// <summary>A graph model's layer outputs for one batch per input name, in the order the forward pass runs them.</summary>
    public static IReadOnlyList<LayerOutput> Of(Model model, IReadOnlyDictionary<string, Tensor> inputs)
    {
        // One input on each side needs no name to match, as the trainer feeds it.
        if (model.InputNames.Count == 1 && inputs.Count == 1) return Of(model, [inputs.Values.Single()]);
        var ordered = model.InputNames.Select(n => inputs.TryGetValue(n, out var t) ? t
            : throw new ArgumentException($"layer outputs: model '{model.Name}' needs input '{n}', got {string.Join(", ", inputs.Keys)}")).ToArray();
        return Of(model, ordered);
    }

    private static IReadOnlyList<LayerOutput> Of(Model model, Tensor[] inputs)
    {
        using var _ = Tape.NoGrad();
        var calls = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        var outputs = new List<LayerOutput>();
        foreach (var (layer, output) in model.StepOutputs(inputs))
        {
            // A shared layer runs once per branch; its later calls are told apart by number.
            int call = calls[layer] = calls.GetValueOrDefault(layer) + 1;
            outputs.Add(new LayerOutput(call == 1 ? layer.Name : $"{layer.Name}#{call}", ActivationOf(layer), output));
        }
        return outputs;
    }

    /// <summary>The activation a layer applies last: Dense's and Conv2D's argument, or an Activation layer's function.</summary>
    public static string ActivationOf(Layer layer) => layer switch
    {
        Dense dense => dense.Activation.Name,
        Conv2D conv => conv.Activation.Name,
        ActivationLayer activation => activation.Activation.Name,
        _ => "linear",
    };
}
