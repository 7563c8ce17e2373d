using Sparta.Data;
using Sparta.Layers;
using Sparta.Models;
using Sparta.Serialization;

namespace Sparta.Experiments;

/// <summary>
/// Builds the <see cref="Model"/> of a <see cref="ModelSpec"/>; input shapes default to the data's
/// sample shapes. A transferred model (<c>model.from</c>) is its saved base, cut, frozen as asked,
/// with the spec's layers as the new head.
/// </summary>
public static class ExperimentModel
{
    public static Model Build(ModelSpec spec, ulong seed, Dataset data, SavedModel? transferBase = null) =>
        Build(spec, seed, SampleShapes(data), transferBase);

    /// <summary>Builds from the sample shape of each input by name (no batch axis); they may be left out when the spec gives them.</summary>
    public static Model Build(ModelSpec spec, ulong seed, IReadOnlyDictionary<string, int[]> sampleShapes, SavedModel? transferBase = null)
    {
        if (spec.Transfer is { } transfer)
        {
            var saved = transferBase ?? throw new InvalidOperationException($"model '{spec.Name}': the base model '{transfer.From}' must be loaded first (LoadBase)");
            return saved.Model.Transfer(transfer.CutAfter, spec.Layers.Select(Create), spec.Name, seed, transfer.FreezeAll, transfer.FreezeLayers);
        }
        if (spec.Zoo is not null)
        {
            int[] shape = spec.InputShape ?? (sampleShapes.Count > 0 ? sampleShapes.GetValueOrDefault(Zoo.ImageInputName, sampleShapes.First().Value)
                : throw new ArgumentException($"model '{spec.Name}': give model.input_shape or data to take it from"));
            return ZooRegistry.Create(spec.Zoo)(shape, spec.Name, seed);
        }
        if (!spec.IsFunctional)
        {
            string inputName = sampleShapes.Count > 0 ? sampleShapes.First().Key : "input";
            int[] shape = spec.InputShape ?? (sampleShapes.Count > 0 ? sampleShapes.First().Value
                : throw new ArgumentException($"model '{spec.Name}': give model.input_shape or data to take it from"));
            return new Sequential(shape, spec.Layers.Select(Create), spec.Name, seed, inputName);
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
        if (spec.Outputs is { } outputs) return new Model(inputs, outputs.Select(o => tensors[o]).ToArray(), spec.Name, seed);
        return new Model(inputs, spec.Output is null ? last! : tensors[spec.Output], spec.Name, seed);
    }

    /// <summary>
    /// The experiment's model before training, as <c>sparta summary EXP.yaml</c> shows it: the data
    /// is loaded only when the file leaves an input's shape to it.
    /// </summary>
    public static Model Untrained(ExperimentSpec spec, string directory)
    {
        var transferBase = LoadBase(spec.Model, directory);
        var shapes = NeedsData(spec.Model)
            ? SampleShapes(ExperimentData.Load(spec.Data, Losses.LossRegistry.Create(spec.Loss), directory, spec.Seed, transferBase, spec.Outputs).Train)
            : new Dictionary<string, int[]>();
        return Build(spec.Model, spec.Seed, shapes, transferBase);
    }

    /// <summary>Whether building needs the data's sample shapes (the spec leaves an input's shape out).</summary>
    public static bool NeedsData(ModelSpec spec) => spec.Transfer is null
        && (spec.IsFunctional ? spec.Inputs!.Any(i => i.Shape is null) : spec.InputShape is null);

    /// <summary>The saved model a transferred spec starts from (its path relative to <paramref name="directory"/>), or null.</summary>
    public static SavedModel? LoadBase(ModelSpec spec, string directory) =>
        spec.Transfer is { } transfer ? ModelLoader.Load(Path.Combine(directory, transfer.From)) : null;

    public static Dictionary<string, int[]> SampleShapes(Dataset data) =>
        data.Inputs.ToDictionary(i => i.Name, i => i.Data.Shape.ToArray()[1..], StringComparer.Ordinal);

    private static Layer Create(LayerSpec spec)
    {
        var layer = LayerRegistry.Create(spec.Config);
        if (spec.Id is not null) layer.AssignName(spec.Id);
        return layer;
    }
}
