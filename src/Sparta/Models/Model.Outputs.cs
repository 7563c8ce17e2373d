using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

public partial class Model
{
    /// <summary>
    /// Every layer call's output for one batch per input (in <see cref="InputNames"/> order), in
    /// the order the forward pass runs them: a layer shared by two branches appears once per call.
    /// </summary>
    internal IReadOnlyList<(Layer Layer, Tensor Output)> StepOutputs(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        if (inputs.Count != _graph.InputNames.Count)
            throw new ArgumentException($"model '{Name}': expects {_graph.InputNames.Count} inputs ({string.Join(", ", _graph.InputNames)}), got {inputs.Count}");
        var slots = _graph.RunAll(inputs, training);
        return _graph.Steps.Select(s => (s.Layer, slots[s.Output])).ToArray();
    }

    /// <summary>
    /// The layers from output <paramref name="output"/> (in <see cref="OutputNames"/> order) back along each one's
    /// first input: the one giving the output, the one feeding it, and so on to a model input (empty when the
    /// output is an input itself).
    /// </summary>
    public IReadOnlyList<Layer> OutputChain(int output = 0)
    {
        var chain = new List<Layer>();
        for (int slot = _graph.OutputSlots[output]; _graph.Steps.FirstOrDefault(s => s.Output == slot) is { } step; slot = step.Inputs[0])
            chain.Add(step.Layer);
        return chain;
    }
}
