using Sparta.Data;
using Sparta.Layers;
using Sparta.Models;

namespace Sparta.Experiments;

/// <summary>Builds the <see cref="Model"/> of a <see cref="ModelSpec"/>; input shapes default to the data's sample shapes.</summary>
public static class ExperimentModel
{
    public static Model Build(ModelSpec spec, ulong seed, Dataset data)
    {
        var sampleShapes = data.Inputs.ToDictionary(i => i.Name, i => i.Data.Shape.ToArray()[1..], StringComparer.Ordinal);
        if (spec.Zoo is not null)
            return ZooRegistry.Create(spec.Zoo)(spec.InputShape ?? sampleShapes.GetValueOrDefault(Zoo.ImageInputName, sampleShapes.First().Value), spec.Name, seed);
        if (!spec.IsFunctional)
        {
            var (inputName, dataShape) = sampleShapes.First();
            return new Sequential(spec.InputShape ?? dataShape, spec.Layers.Select(Create), spec.Name, seed, inputName);
        }
        var tensors = new Dictionary<string, SymbolicTensor>(StringComparer.Ordinal);
        var inputs = new List<SymbolicTensor>();
        foreach (var (name, shape) in spec.Inputs!)
        {
            int[] resolved = shape ?? (sampleShapes.TryGetValue(name, out var s) ? s
                : throw new ArgumentException($"model: input '{name}' has no shape and the data has no input of that name (inputs: {string.Join(", ", sampleShapes.Keys)})"));
            var input = Model.Input(resolved, name);
            inputs.Add(input);
            tensors[name] = input;
        }
        SymbolicTensor? last = null;
        foreach (var layerSpec in spec.Layers)
        {
            var layer = Create(layerSpec);
            var reads = layerSpec.Inputs.Count > 0 ? layerSpec.Inputs.Select(r => tensors[r]).ToArray()
                : [last ?? inputs[0]]; // no inputs: reads the previous layer, as in a sequence
            last = layer.Call(reads);
            if (layerSpec.Id is not null) tensors[layerSpec.Id] = last;
        }
        return new Model(inputs, spec.Output is null ? last! : tensors[spec.Output], spec.Name, seed);
    }

    private static Layer Create(LayerSpec spec)
    {
        var layer = LayerRegistry.Create(spec.Config);
        if (spec.Id is not null) layer.AssignName(spec.Id);
        return layer;
    }
}
