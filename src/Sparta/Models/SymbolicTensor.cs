using Sparta.Layers;
using Sparta.Tensors;

namespace Sparta.Models;

/// <summary>
/// A placeholder in a functional graph (Keras' KerasTensor): either a named model input or the
/// output of a layer called on other symbolic tensors. It knows its shape (no batch axis), not values.
/// </summary>
public sealed class SymbolicTensor
{
    private SymbolicTensor(Shape shape, string? inputName, Layer? layer, SymbolicTensor[] inputs)
    {
        Shape = shape;
        InputName = inputName;
        Layer = layer;
        Inputs = inputs;
    }

    public Shape Shape { get; }

    /// <summary>The input's name, for a model input; null for a layer output.</summary>
    public string? InputName { get; }

    /// <summary>The layer that produces this tensor; null for a model input.</summary>
    public Layer? Layer { get; }

    /// <summary>What the layer was called on.</summary>
    public IReadOnlyList<SymbolicTensor> Inputs { get; }

    public bool IsInput => Layer is null;

    internal static SymbolicTensor Input(Shape shape, string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException($"input: name must be non-empty, got '{name}'", nameof(name));
        return new SymbolicTensor(shape, name, null, []);
    }

    internal static SymbolicTensor Apply(Layer layer, SymbolicTensor[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException($"layer '{layer.Name}': called on no inputs");
        var shapes = inputs.Select(i => i.Shape).ToArray();
        if (layer.IsBuilt && !shapes.SequenceEqual(layer.InputShapes))
            throw new ArgumentException($"layer '{layer.Name}': built for input shapes {string.Join(" and ", layer.InputShapes)}, called on {string.Join(" and ", shapes.Select(s => s.ToString()))}");
        return new SymbolicTensor(layer.ComputeOutputShape(shapes), null, layer, inputs);
    }

    public override string ToString() => IsInput ? $"Input '{InputName}' {Shape}" : $"output of '{Layer!.Name}' {Shape}";
}
